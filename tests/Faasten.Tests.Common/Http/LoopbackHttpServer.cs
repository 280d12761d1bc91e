using System.Net;

namespace Faasten.Tests.Common.Http;

/// <summary>A real HTTP server on 127.0.0.1 that records requests and answers with a configurable response.</summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackHttpServer()
    {
        // HttpListener cannot bind port 0: borrow a free port from the OS, then listen on it.
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public List<RecordedRequest> Requests { get; } = [];

    public int Status { get; set; } = 200;

    public byte[] Body { get; set; } = "hello from the service"u8.ToArray();

    public TimeSpan Delay { get; set; }

    public void Dispose()
    {
        _listener.Close();
        _ = _loop;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            lock (Requests)
            {
                Requests.Add(new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl!, headers, body.ToArray()));
            }

            await Task.Delay(Delay);
            context.Response.StatusCode = Status;
            context.Response.Headers["X-Test"] = "yes";
            await context.Response.OutputStream.WriteAsync(Body);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (a timeout test) or the server is closing.
        }
    }
}
