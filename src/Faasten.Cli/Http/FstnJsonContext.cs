using System.Text.Json.Serialization;
using Faasten.Cli.Config;

namespace Faasten.Cli.Http;

/// <summary>Source-generated JSON for the API bodies and the credentials file: no reflection at startup.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(IdentityResponse))]
[JsonSerializable(typeof(StatResponse))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(FacetsResponse))]
[JsonSerializable(typeof(BlobResponse))]
[JsonSerializable(typeof(LinkRequest))]
[JsonSerializable(typeof(GateRequest))]
[JsonSerializable(typeof(ServiceRequest))]
[JsonSerializable(typeof(TriggerRequest))]
[JsonSerializable(typeof(ScheduleRequest))]
[JsonSerializable(typeof(DelegateRequest))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(InvokeRequest))]
[JsonSerializable(typeof(InvocationAccepted))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(InvocationLogs))]
[JsonSerializable(typeof(InvocationRecord))]
[JsonSerializable(typeof(RecordList))]
[JsonSerializable(typeof(CredentialsFile))]
internal sealed partial class FstnJsonContext : JsonSerializerContext;
