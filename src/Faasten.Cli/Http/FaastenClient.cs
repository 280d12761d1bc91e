using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Faasten.Cli.Http;

/// <summary>
/// The gateway's HTTP API (docs/http-api.md) as typed calls. Every call returns an
/// <see cref="ApiResult{T}"/>: refusals and transport failures become errors to report, so
/// commands never see an exception for an expected outcome.
/// </summary>
internal sealed class FaastenClient : IDisposable
{
    private const string LabelHeader = "Faasten-Label";
    private const string InvocationHeader = "Faasten-Invocation";
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly HttpClient _http;
    private readonly string? _loginHint;

    /// <param name="loginHint">Appended to 401 messages when the token came from a saved login (so re-login fixes it).</param>
    public FaastenClient(Uri server, string? token, string? loginHint = null, HttpMessageHandler? handler = null)
    {
        Server = server;
        _loginHint = loginHint;
        // No overall timeout: uploads and synchronous invocations may legitimately take long;
        // an unreachable server still fails fast on connect.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = server,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("fstn", "1.0"));
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri Server { get; }

    public Task<ApiResult<TokenResponse>> LoginAsync(string user, string password, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, "auth/login", new LoginRequest(user, password), FstnJsonContext.Default.LoginRequest,
            FstnJsonContext.Default.TokenResponse, cancellationToken);

    public Task<ApiResult<IdentityResponse>> WhoAmIAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "auth/me"), ReadJson(FstnJsonContext.Default.IdentityResponse), cancellationToken);

    public Task<ApiResult<StatResponse>> StatAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route("fs/stat", path)), ReadJson(FstnJsonContext.Default.StatResponse), cancellationToken);

    /// <summary>One page of a directory; pass the previous page's <c>Next</c> as <paramref name="cursor"/>.</summary>
    public Task<ApiResult<ListResponse>> ListAsync(string path, string? cursor, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route("fs/list", path, ("cursor", cursor))), ReadJson(FstnJsonContext.Default.ListResponse), cancellationToken);

    /// <summary>One page of a faceted directory's facets; pass the previous page's <c>Next</c> as <paramref name="cursor"/>.</summary>
    public Task<ApiResult<FacetsResponse>> ListFacetsAsync(string path, string? clearance, string? cursor, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route("fs/facets", path, ("clearance", clearance), ("cursor", cursor))),
            ReadJson(FstnJsonContext.Default.FacetsResponse), cancellationToken);

    /// <summary>Streams a file's or blob's bytes into <paramref name="destination"/> without buffering them.</summary>
    public Task<ApiResult<long>> DownloadAsync(string path, bool blob, Stream destination, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route(blob ? "fs/blob" : "fs/file", path)), async (response, ct) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var counter = new ProgressStream(body, static _ => { });
            await counter.CopyToAsync(destination, ct);
            await destination.FlushAsync(ct);
            return counter.Position;
        }, cancellationToken);

    public Task<ApiResult<HttpStatusCode>> CreateFileAsync(string path, string? label, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Route("fs/file", path, ("label", label))) { Content = Bytes(content) },
            StatusOnly, cancellationToken);

    public Task<ApiResult<HttpStatusCode>> WriteFileAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Put, Route("fs/file", path)) { Content = Bytes(content) }, StatusOnly, cancellationToken);

    public Task<ApiResult<HttpStatusCode>> CreateDirectoryAsync(string path, string? label, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Route("fs/dir", path, ("label", label))), StatusOnly, cancellationToken);

    public Task<ApiResult<HttpStatusCode>> CreateFacetedAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, Route("fs/faceted", path)), StatusOnly, cancellationToken);

    /// <summary>
    /// Uploads <paramref name="content"/> as a blob linked at <paramref name="path"/>, streamed
    /// straight from the stream (chunked when <paramref name="length"/> is unknown).
    /// </summary>
    public Task<ApiResult<BlobResponse>> UploadBlobAsync(
        string path, string? label, Stream content, long? length, Action<long>? progress, CancellationToken cancellationToken)
    {
        var body = new StreamContent(progress is null ? content : new ProgressStream(content, progress), 128 * 1024);
        body.Headers.ContentType = OctetStream;
        body.Headers.ContentLength = length;
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, Route("fs/blob", path, ("label", label))) { Content = body },
            ReadJson(FstnJsonContext.Default.BlobResponse), cancellationToken);
    }

    public Task<ApiResult<HttpStatusCode>> LinkAsync(string source, string destination, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, "fs/link", new LinkRequest(source, destination), FstnJsonContext.Default.LinkRequest,
            StatusOnly, cancellationToken);

    public Task<ApiResult<HttpStatusCode>> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, Route("fs", path)), StatusOnly, cancellationToken);

    /// <summary><c>POST /gates</c> to create, <c>PUT /gates</c> to update.</summary>
    public Task<ApiResult<HttpStatusCode>> PutGateAsync(GateRequest gate, bool update, CancellationToken cancellationToken) =>
        SendJsonAsync(update ? HttpMethod.Put : HttpMethod.Post, "gates", gate, FstnJsonContext.Default.GateRequest, StatusOnly, cancellationToken);

    /// <summary><c>GET /gates</c>: the gate's fields as the server describes them.</summary>
    public Task<ApiResult<JsonObject>> GetGateAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route("gates", path)), ReadJson(FstnJsonContext.Default.JsonObject), cancellationToken);

    /// <summary><c>POST /fs/service</c> to create, <c>PUT /fs/service</c> to update.</summary>
    public Task<ApiResult<HttpStatusCode>> PutServiceAsync(ServiceRequest service, bool update, CancellationToken cancellationToken) =>
        SendJsonAsync(update ? HttpMethod.Put : HttpMethod.Post, "fs/service", service, FstnJsonContext.Default.ServiceRequest, StatusOnly, cancellationToken);

    public Task<ApiResult<JsonObject>> GetServiceAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Route("fs/service", path)), ReadJson(FstnJsonContext.Default.JsonObject), cancellationToken);

    public Task<ApiResult<HttpStatusCode>> CreateTriggerAsync(TriggerRequest trigger, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, "fs/trigger", trigger, FstnJsonContext.Default.TriggerRequest, StatusOnly, cancellationToken);

    public Task<ApiResult<HttpStatusCode>> CreateScheduleAsync(ScheduleRequest schedule, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, "fs/schedule", schedule, FstnJsonContext.Default.ScheduleRequest, StatusOnly, cancellationToken);

    public Task<ApiResult<TokenResponse>> DelegateAsync(DelegateRequest request, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, "auth/delegate", request, FstnJsonContext.Default.DelegateRequest, FstnJsonContext.Default.TokenResponse, cancellationToken);

    /// <summary>Where the event server receives deliveries for the trigger at <paramref name="path"/>.</summary>
    public Uri HookUrl(string path) => new(Server, "hooks/" + Uri.EscapeDataString(path));

    /// <param name="onInvocationId">Told the id the server gave the invocation (the <c>Faasten-Invocation</c> header), whatever the answer.</param>
    public Task<ApiResult<InvocationReply>> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken, Action<string>? onInvocationId = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "invoke")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, FstnJsonContext.Default.InvokeRequest)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendAsync(message, ReadInvocation(submitted: true), cancellationToken, response =>
        {
            if (onInvocationId is not null && response.Headers.TryGetValues(InvocationHeader, out var ids) && ids.FirstOrDefault() is { Length: > 0 } id)
            {
                onInvocationId(id);
            }
        });
    }

    /// <summary><c>GET /invocations/{id}/logs</c>; <see cref="InvocationLogs"/> null while the invocation runs.</summary>
    public Task<ApiResult<InvocationLogs?>> GetLogsAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "invocations/" + Uri.EscapeDataString(id) + "/logs"), ReadUnlessPending(FstnJsonContext.Default.InvocationLogs), cancellationToken);

    /// <summary><c>GET /invocations/{id}/record</c>; null while the invocation runs.</summary>
    public Task<ApiResult<InvocationRecord?>> GetRecordAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "invocations/" + Uri.EscapeDataString(id) + "/record"), ReadUnlessPending(FstnJsonContext.Default.InvocationRecord), cancellationToken);

    /// <summary><c>GET /invocations?gate=&amp;limit=&amp;cursor=</c>.</summary>
    public Task<ApiResult<RecordList>> ListInvocationsAsync(string? gate, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (gate is not null)
        {
            query.Add("gate=" + Uri.EscapeDataString(gate));
        }
        if (limit is { } n)
        {
            query.Add("limit=" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(cursor));
        }
        var uri = "invocations" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        return SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), ReadJson(FstnJsonContext.Default.RecordList), cancellationToken);
    }

    public Task<ApiResult<InvocationReply>> GetInvocationAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "invocations/" + Uri.EscapeDataString(id)), ReadInvocation(submitted: false), cancellationToken);

    public void Dispose() => _http.Dispose();

    /// <summary>A route with the percent-encoded <c>path</c> query parameter and any optional ones that are set.</summary>
    internal static string Route(string route, string path, params ReadOnlySpan<(string Name, string? Value)> extra)
    {
        var uri = route + "?path=" + Uri.EscapeDataString(path);
        foreach (var (name, value) in extra)
        {
            if (value is not null)
            {
                uri += "&" + name + "=" + Uri.EscapeDataString(value);
            }
        }
        return uri;
    }

    private static HttpContent Bytes(ReadOnlyMemory<byte> content)
    {
        var body = new ReadOnlyMemoryContent(content);
        body.Headers.ContentType = OctetStream;
        return body;
    }

    private static Task<HttpStatusCode> StatusOnly(HttpResponseMessage response, CancellationToken cancellationToken) =>
        Task.FromResult(response.StatusCode);

    private static Func<HttpResponseMessage, CancellationToken, Task<T>> ReadJson<T>(JsonTypeInfo<T> type) =>
        async (response, cancellationToken) =>
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken)
                ?? throw new JsonException("The response body is JSON null.");
        };

    private static Func<HttpResponseMessage, CancellationToken, Task<T?>> ReadUnlessPending<T>(JsonTypeInfo<T> type)
        where T : class =>
        async (response, cancellationToken) => response.StatusCode == HttpStatusCode.Accepted ? null : await ReadJson(type)(response, cancellationToken);

    private static Func<HttpResponseMessage, CancellationToken, Task<InvocationReply>> ReadInvocation(bool submitted) =>
        async (response, cancellationToken) =>
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                var result = await response.Content.ReadAsStringAsync(cancellationToken);
                using var _ = JsonDocument.Parse(string.IsNullOrEmpty(result) ? "null" : result); // must be JSON
                return new InvocationReply(string.IsNullOrEmpty(result) ? "null" : result, null, Pending: false);
            }
            if (!submitted)
            {
                return new InvocationReply(null, null, Pending: true);
            }
            var accepted = await ReadJson(FstnJsonContext.Default.InvocationAccepted)(response, cancellationToken);
            return new InvocationReply(null, accepted.IdText, Pending: false);
        };

    private Task<ApiResult<T>> SendJsonAsync<TBody, T>(
        HttpMethod method, string uri, TBody body, JsonTypeInfo<TBody> bodyType, JsonTypeInfo<T> resultType, CancellationToken cancellationToken) =>
        SendJsonAsync(method, uri, body, bodyType, ReadJson(resultType), cancellationToken);

    private Task<ApiResult<T>> SendJsonAsync<TBody, T>(
        HttpMethod method, string uri, TBody body, JsonTypeInfo<TBody> bodyType,
        Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, uri)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, bodyType)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return SendAsync(request, read, cancellationToken);
    }

    private async Task<ApiResult<T>> SendAsync<T>(
        HttpRequestMessage request, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken,
        Action<HttpResponseMessage>? onResponse = null)
    {
        using var _ = request;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            onResponse?.Invoke(response);
            var label = response.Headers.TryGetValues(LabelHeader, out var values) ? values.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode)
            {
                return ApiResult<T>.Failure(await ReadErrorAsync(response, cancellationToken), response.StatusCode);
            }
            return ApiResult<T>.Success(await read(response, cancellationToken), response.StatusCode, label);
        }
        catch (HttpRequestException e)
        {
            return ApiResult<T>.Failure(ApiError.Unreachable(Server, Reason(e)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult<T>.Failure(ApiError.Unreachable(Server, "the connection timed out"));
        }
        catch (IOException e)
        {
            return ApiResult<T>.Failure(ApiError.Unreachable(Server, "the connection was lost: " + e.Message));
        }
        catch (JsonException)
        {
            return ApiResult<T>.Failure(new ApiError("the server sent a malformed response", "bad_response", ExitCode.Failed));
        }
    }

    private async Task<ApiError> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ErrorResponse? body = null;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            body = await JsonSerializer.DeserializeAsync(stream, FstnJsonContext.Default.ErrorResponse, cancellationToken);
        }
        catch (JsonException)
        {
            // Not the API's error shape (a proxy's HTML page, say): report the status alone.
        }
        var error = ApiError.FromResponse(response.StatusCode, body);
        return response.StatusCode == HttpStatusCode.Unauthorized && _loginHint is not null
            ? error with { Message = error.Message + "; " + _loginHint }
            : error;
    }

    /// <summary>The innermost useful reason: "Connection refused", "Name or service not known".</summary>
    private static string Reason(HttpRequestException e)
    {
        Exception inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }
        return inner.Message.TrimEnd('.', ' ');
    }
}
