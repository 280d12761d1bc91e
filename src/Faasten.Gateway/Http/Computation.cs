using Faasten.Fs;
using Faasten.Gateway.Auth;
using Faasten.Labels;
using Microsoft.AspNetCore.Http;

namespace Faasten.Gateway.Http;

/// <summary>
/// One request as one computation (DESIGN §3): the caller's privilege, a floating label that
/// starts at the request's label, and that request label, which the response must flow to
/// (rule 7) before anything of it leaves.
/// </summary>
internal sealed class Computation
{
    public Computation(Caller caller, Label requestLabel)
    {
        Caller = caller;
        RequestLabel = requestLabel;
        Context = new SecurityContext(caller.Privilege, requestLabel);
    }

    public Caller Caller { get; }

    public Label RequestLabel { get; }

    public SecurityContext Context { get; }

    /// <summary>Rule 7 for this request, at the computation's current label.</summary>
    public bool CanRelease => SecurityContext.CanRelease(Context.Label, RequestLabel, Caller.Privilege);

    public static Computation Of(HttpContext http) =>
        http.Features.Get<Computation>() ?? throw new InvalidOperationException("the computation stage did not run for this request");

    /// <summary>Lets minimal-API handlers take the computation as a parameter.</summary>
    public static ValueTask<Computation?> BindAsync(HttpContext http) => ValueTask.FromResult<Computation?>(Of(http));
}
