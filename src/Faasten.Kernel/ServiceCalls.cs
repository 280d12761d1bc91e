using System.Buffers;
using Faasten.Fs;
using Faasten.Protocol;
using Faasten.Protocol.V1;
using Google.Protobuf;

namespace Faasten.Kernel;

/// <summary>
/// invoke_service: the only way out to the network. The function never sees the service
/// object (its URL and headers may hold credentials); it names it, and the kernel checks
/// clearance and the outgoing flow, sends the request, and taints the caller with the
/// service's taint, the label of everything that crosses it.
/// </summary>
internal sealed class ServiceCalls(FileSystem fs, SecurityContext ctx, HttpClient http, CloudCallKernelOptions options)
{
    public async ValueTask<CloudCallResponse> InvokeAsync(InvokeService call, CancellationToken ct)
    {
        var path = KernelErrors.Quote(call.Path);
        var opened = await fs.OpenServiceAsync(ctx, call.Path, ct).ConfigureAwait(false);
        if (!opened.IsOk)
        {
            return KernelErrors.From(opened.WithoutValue());
        }

        var service = opened.Value!;
        if (!ctx.Privilege.Implies(service.Clearance))
        {
            return CloudCallReplies.Error(CloudCallErrorCode.PrivilegeDenied, $"privilege {ctx.Privilege} does not imply the clearance {service.Clearance} of service '{path}'");
        }

        // The request carries everything the caller knows: it must be allowed to flow to the
        // service's taint, with the caller's privilege and the one the service adds.
        if (!ctx.Label.CanFlowTo(service.Taint, ctx.Privilege.And(service.Privilege)))
        {
            return CloudCallReplies.Error(CloudCallErrorCode.LabelDenied, $"cannot send from a computation labeled {ctx.Label} with privilege {ctx.Privilege} to service '{path}' with taint {service.Taint}");
        }

        // URLs and headers stay out of every message: they may hold credentials.
        var url = UrlTemplate.Fill(service.UrlTemplate, call.Params, out var problem);
        if (url is null)
        {
            return KernelErrors.BadRequest($"service '{path}' {problem}");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return KernelErrors.BadRequest($"the parameters of service '{path}' do not make a valid http(s) URL");
        }

        // From here on the outcome, success or failure, depends on what crosses the service.
        ctx.Taint(service.Taint);
        using var request = BuildRequest(service.Verb, uri, service.Headers, call.Body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.ServiceTimeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadCappedAsync(response.Content, options.MaxServiceResponseBytes, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                return KernelErrors.TooLarge($"service '{path}' answered with more than {options.MaxServiceResponseBytes} bytes");
            }

            var result = new InvokeServiceResult { Status = (uint)response.StatusCode, Body = UnsafeByteOperations.UnsafeWrap(body) };
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                result.Headers[name.ToLowerInvariant()] = string.Join(", ", values);
            }

            return new CloudCallResponse { InvokeService = result };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return CloudCallReplies.Error(CloudCallErrorCode.Timeout, $"service '{path}' did not answer within {options.ServiceTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return CloudCallReplies.Error(CloudCallErrorCode.ServiceFailed, $"service '{path}' could not be reached ({e.HttpRequestError})");
        }
    }

    private static HttpRequestMessage BuildRequest(string verb, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, ByteString body)
    {
        var request = new HttpRequestMessage(new HttpMethod(verb), uri);
        if (!body.IsEmpty)
        {
            request.Content = new ReadOnlyMemoryContent(body.Memory);
        }

        foreach (var (name, value) in headers)
        {
            // Content-Type and friends belong to the content, everything else to the request.
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="max"/>.</summary>
    private static async ValueTask<byte[]?> ReadCappedAsync(HttpContent content, int max, CancellationToken ct)
    {
        if (content.Headers.ContentLength > max)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer.GetMemory(16 * 1024), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    return buffer.WrittenSpan.ToArray();
                }

                buffer.Advance(n);
                if (buffer.WrittenCount > max)
                {
                    return null;
                }
            }
        }
    }
}
