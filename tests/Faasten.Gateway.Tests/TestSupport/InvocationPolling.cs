using System.Net;

namespace Faasten.Gateway.Tests.TestSupport;

internal static class InvocationPolling
{
    /// <summary>Polls GET /invocations/{id} until it is no longer 202 (bounded: a hang fails the test).</summary>
    public static async Task<HttpResponseMessage> WaitAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await client.GetAsync($"/invocations/{id}");
            if (response.StatusCode != HttpStatusCode.Accepted || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(20);
        }
    }
}
