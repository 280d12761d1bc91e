using Faasten.Protocol;
using Faasten.Protocol.V1;

namespace Faasten.Protocol;

/// <summary>Shorthands for the responses every handler builds.</summary>
public static class CloudCallReplies
{
    public static CloudCallResponse Done() => new() { Done = new Done() };

    public static CloudCallResponse Error(CloudCallErrorCode code, string message) =>
        new() { Error = new CloudCallError { Code = code, Message = message } };

    public static CloudCallResponse Label(string label) => new() { Label = new LabelResult { Label = label } };

    public static CloudCallResponse Privilege(string privilege) =>
        new() { Privilege = new PrivilegeResult { Privilege = privilege } };
}
