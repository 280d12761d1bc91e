using System.Text.Json;
using System.Text.Json.Serialization;
using Faasten.Gateway.Auth;

namespace Faasten.Gateway.Json;

/// <summary>
/// Source-generated JSON for every gateway body: web naming (camelCase, case-insensitive
/// reads), and unknown properties rejected so that a misspelt field is a 400, not ignored.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(DelegateRequest))]
[JsonSerializable(typeof(InvokeBody))]
[JsonSerializable(typeof(GateBody))]
[JsonSerializable(typeof(LinkBody))]
[JsonSerializable(typeof(ServiceBody))]
[JsonSerializable(typeof(TriggerBody))]
[JsonSerializable(typeof(ScheduleBody))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(PathResponse))]
[JsonSerializable(typeof(GateResponse))]
[JsonSerializable(typeof(ServiceResponse))]
[JsonSerializable(typeof(StatResponse))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(FacetsResponse))]
[JsonSerializable(typeof(BlobResponse))]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(RecordResponse))]
[JsonSerializable(typeof(RecordListResponse))]
[JsonSerializable(typeof(LogsResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
