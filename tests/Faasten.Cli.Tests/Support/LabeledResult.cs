using Microsoft.AspNetCore.Http;

namespace Faasten.Cli.Tests.Support;

/// <summary>Adds the <c>Faasten-Label</c> header the real gateway sends with data.</summary>
internal sealed class LabeledResult(IResult inner, string? label) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (label is not null)
        {
            httpContext.Response.Headers["Faasten-Label"] = label;
        }
        return inner.ExecuteAsync(httpContext);
    }
}
