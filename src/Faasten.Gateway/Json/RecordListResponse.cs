namespace Faasten.Gateway.Json;

internal sealed record RecordListResponse(IReadOnlyList<RecordResponse> Invocations, string? Next);
