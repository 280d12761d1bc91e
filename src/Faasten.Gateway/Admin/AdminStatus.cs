namespace Faasten.Gateway.Admin;

public enum AdminStatus
{
    Ok,
    BadInput,
    Exists,
    NotFound,
}
