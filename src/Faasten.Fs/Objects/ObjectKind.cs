namespace Faasten.Fs.Objects;

public enum ObjectKind
{
    Directory,
    File,
    Blob,
    FacetedDirectory,
    Gate,
    RedirectGate,
    Service,
    Trigger,
    Schedule,
}
