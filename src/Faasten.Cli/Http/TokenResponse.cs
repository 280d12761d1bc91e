using System.Text.Json;

namespace Faasten.Cli.Http;

/// <summary><c>POST /auth/login</c> and <c>/auth/delegate</c>. <c>expires</c> is kept raw: a date string or Unix seconds.</summary>
internal sealed record TokenResponse(string Token, string? Privilege, JsonElement? Expires);
