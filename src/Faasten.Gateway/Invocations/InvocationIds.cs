using System.Security.Cryptography;

namespace Faasten.Gateway.Invocations;

/// <summary>Invocation ids: 128 random bits, so an id is unguessable and its result is fetched only by whoever was given it (and then only under rule 7).</summary>
internal static class InvocationIds
{
    public const int MaxLength = 128;

    /// <summary>The response header of <c>POST /invoke</c> that names the invocation (sync and async alike).</summary>
    public const string Header = "Faasten-Invocation";

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
