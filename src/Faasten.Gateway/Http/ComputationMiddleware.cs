using Faasten.Gateway.Auth;
using Faasten.Gateway.Events;
using Faasten.Labels;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>
/// The label stage: starts the request's computation at its label. By default that is
/// <c>T,U</c> for a caller with privilege U: public secrecy, endorsed by the caller (rule 6),
/// since an authenticated request is the caller's own word. Objects the request creates
/// without an explicit label then default to integrity U, so nobody else may overwrite or
/// unlink them; starting at <c>T,T</c> would leave them writable by anyone. Anonymous
/// requests start at <c>T,T</c> (public). Releasing to <c>T,U</c> under U is exactly releasing
/// to public. A <c>Faasten-Label</c> header picks another start; it must lie within the
/// caller's authority (U implies its secrecy and its integrity): a higher secrecy would make
/// rule 7 release to a label the caller cannot read, a higher integrity would forge an
/// endorsement.
/// </summary>
internal sealed class ComputationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        var caller = http.Features.Get<Caller>() ?? Caller.Anonymous;
        var label = new Label(Component.True, caller.Privilege);
        var header = http.Request.Headers[LabelHeader.Name];
        if (header.Count > 0 && http.GetEndpoint()?.Metadata.GetMetadata<EventSourceMetadata>() is null)
        {
            if (header.Count > 1)
            {
                return ApiResults.BadLabel("more than one Faasten-Label header").ExecuteAsync(http);
            }

            if (!Label.TryParse(header[0] ?? "", out var requested, out var error))
            {
                return ApiResults.BadLabel($"bad label in the Faasten-Label header: {error.Message}").ExecuteAsync(http);
            }

            if (!caller.Privilege.Implies(requested.Secrecy) || !caller.Privilege.Implies(requested.Integrity))
            {
                return ApiResults.Error(StatusCodes.Status403Forbidden, ErrorCodes.LabelDenied, $"request label {requested} is beyond privilege {caller.Privilege}").ExecuteAsync(http);
            }

            label = requested;
        }

        http.Features.Set(new Computation(caller, label));
        return next(http);
    }
}
