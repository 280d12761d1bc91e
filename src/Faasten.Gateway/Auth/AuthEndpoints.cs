using Faasten.Gateway.Http;
using Faasten.Gateway.Json;
using Faasten.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Faasten.Gateway.Auth;

/// <summary>The authenticator: login, whoami, delegation of a sub-privilege.</summary>
internal static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/login", LoginAsync)
            .JsonBody<LoginRequest>("user", "password")
            .Produces<TokenResponse>()
            .Produces<ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorBody>(StatusCodes.Status429TooManyRequests)
            .WithSummary("Exchange a user name and password for a bearer token");
        api.MapGet("/auth/me", Me)
            .Produces<MeResponse>()
            .WithSummary("The caller's user, privilege and token expiry");
        api.MapPost("/auth/delegate", DelegateAsync)
            .JsonBody<DelegateRequest>("privilege")
            .Produces<TokenResponse>()
            .Produces<ErrorBody>(StatusCodes.Status403Forbidden)
            .WithSummary("A token for a sub-privilege that the caller's privilege implies");
    }

    private static async Task<IResult> LoginAsync(HttpContext http, UserStore users, TokenService tokens, LoginThrottle throttle, GatewayOptions options, ILoggerFactory logs)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.LoginRequest, options.MaxJsonBytes);
        if (body is null)
        {
            return error!;
        }

        if (!Args.TryRequired(body.User, "user", out error) || !Args.TryRequired(body.Password, "password", out error))
        {
            return error;
        }

        var logger = logs.CreateLogger(typeof(AuthEndpoints).FullName!);
        var loggedName = UserNames.Check(body.User) is null ? body.User : "(invalid name)";
        var attempt = LoginThrottle.Attempt(body.User, http.Connection.RemoteIpAddress?.ToString());
        var (turn, retryAfter) = await throttle.EnterAsync(attempt, http.RequestAborted);
        if (turn is null)
        {
            GatewayLog.LoginThrottled(logger, loggedName);
            http.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(1, retryAfter.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiResults.Error(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "too many failed logins for this user or from this address; retry later");
        }

        UserRecord? user;
        using (turn)
        {
            user = await users.VerifyAsync(body.User, body.Password, http.RequestAborted);
            if (user is null)
            {
                throttle.Failed(attempt);
            }
        }

        if (user is null)
        {
            GatewayLog.LoginFailed(logger, loggedName);
            return ApiResults.Unauthorized("wrong user name or password");
        }

        GatewayLog.LoginSucceeded(logger, user.Name);
        return Token(tokens.Issue(user.Name, UserNames.Privilege(user.Name), options.TokenLifetime));
    }

    private static IResult Me(Computation computation)
    {
        var caller = computation.Caller;
        return Results.Json(new MeResponse(caller.User, caller.Privilege.ToString(), caller.Expires), GatewayJsonContext.Default.MeResponse);
    }

    private static async Task<IResult> DelegateAsync(HttpContext http, Computation computation, TokenService tokens, GatewayOptions options, TimeProvider time, ILoggerFactory logs)
    {
        var (body, error) = await RequestBodies.ReadJsonAsync(http, GatewayJsonContext.Default.DelegateRequest, options.MaxJsonBytes);
        if (body is null)
        {
            return error!;
        }

        if (!Args.TryComponent(body.Privilege, "privilege", required: true, out var privilege, out error))
        {
            return error;
        }

        var caller = computation.Caller;
        if (!caller.Privilege.Implies(privilege!))
        {
            return ApiResults.Error(StatusCodes.Status403Forbidden, ErrorCodes.PrivilegeDenied, $"privilege {caller.Privilege} does not imply {privilege}");
        }

        var lifetime = options.TokenLifetime;
        if (body.Ttl is { } ttl)
        {
            if (ttl <= 0 || ttl > options.MaxTokenLifetime.TotalSeconds)
            {
                return ApiResults.BadRequest($"'ttl' must be 1–{(long)options.MaxTokenLifetime.TotalSeconds} seconds");
            }

            lifetime = TimeSpan.FromSeconds(ttl);
        }

        // A delegated token never outlives the token it was delegated from.
        if (caller.Expires is { } parentExpires && parentExpires - time.GetUtcNow() < lifetime)
        {
            lifetime = parentExpires - time.GetUtcNow();
        }

        GatewayLog.TokenDelegated(logs.CreateLogger(typeof(AuthEndpoints).FullName!), privilege!.ToString(), caller.Privilege.ToString());
        return Token(tokens.Issue(caller.User, privilege, lifetime));
    }

    private static IResult Token(IssuedToken token) =>
        Results.Json(new TokenResponse(token.Token, token.Privilege.ToString(), token.Expires), GatewayJsonContext.Default.TokenResponse);
}
