using Faasten.Labels;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>
/// Turns a label operation that would exceed <see cref="LabelLimits"/> (a taint while the monitor
/// reads, a lub of large labels) into 400 <c>label_too_large</c>. Such an operation throws before
/// it changes the computation's label, so what the request read before stays in the label. This
/// filter runs inside <see cref="ReleaseFilter"/>: the error is released under rule 7 like any
/// answer, since whether a label grew too large depends on what the computation read.
/// </summary>
internal sealed class LabelLimitFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (LabelTooLargeException e)
        {
            // Sizes and the limit's name only, never label text.
            return ApiResults.LabelTooLarge($"label too large: {e.Message}");
        }
    }
}
