using System.Text;
using Faasten.Labels;

namespace Faasten.Fs.Paths;

/// <summary>
/// A parsed path (DESIGN §3): components separated by <c>:</c>; empty or <c>:</c> is the
/// root. A facet is written <c>&lt;label&gt;</c>; separators inside the angle brackets belong
/// to the label, so a facet may name principals that contain <c>:</c> only if escaped.
/// </summary>
public sealed class FsPath
{
    public const int MaxLength = 4096;
    public const int MaxNameLength = 255;

    public static readonly FsPath Root = new([]);

    private FsPath(PathComponent[] components) => Components = components;

    public IReadOnlyList<PathComponent> Components { get; }

    public bool IsRoot => Components.Count == 0;

    /// <summary>The path without its last component; the root's parent is the root.</summary>
    public FsPath Parent => IsRoot ? this : new FsPath(Components.Take(Components.Count - 1).ToArray());

    public PathComponent Last => Components[^1];

    public FsPath Append(PathComponent component) => new([.. Components, component]);

    /// <summary>
    /// The path with a leading <c>~</c> spelled out as <c>home:&lt;P,P&gt;</c> for
    /// <paramref name="privilege"/>, so the same object has one name whoever asks.
    /// </summary>
    public FsPath ExpandHome(Component privilege)
    {
        ArgumentNullException.ThrowIfNull(privilege);
        if (IsRoot || Components[0].Kind != PathComponentKind.Home)
        {
            return this;
        }

        return new FsPath([PathComponent.ForName(Monitor.PathResolver.HomeName), PathComponent.ForFacet(new Label(privilege, privilege)), .. Components.Skip(1)]);
    }

    /// <summary><paramref name="text"/> with <c>~</c> expanded (<see cref="ExpandHome"/>), or as it is when it is no path.</summary>
    public static string Canonical(string text, Component privilege) =>
        TryParse(text, out var path, out _) ? path.ExpandHome(privilege).ToString() : text;

    /// <summary>Whether <paramref name="name"/> is a name a path could end in (listing cursors are names).</summary>
    public static bool IsValidName(string name) =>
        !name.Contains(':', StringComparison.Ordinal)
        && TryParseComponent(name, 0, first: false, out var component, out _)
        && component.Kind == PathComponentKind.Name;

    public static FsPath Parse(string text)
    {
        if (!TryParse(text, out var path, out var error))
        {
            throw new FormatException(error);
        }

        return path;
    }

    public static bool TryParse(string? text, out FsPath path, out string error)
    {
        path = Root;
        error = "";
        if (text is null)
        {
            error = "path is missing";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"path is longer than {MaxLength} characters";
            return false;
        }

        if (text.Length == 0 || text == ":")
        {
            return true;
        }

        var components = new List<PathComponent>();
        // A leading ':' names the root explicitly (":home" is "home").
        var start = text[0] == ':' ? 1 : 0;
        while (start <= text.Length)
        {
            var end = FindSeparator(text, start);
            if (end < 0)
            {
                error = $"unterminated facet '<' at offset {start}";
                return false;
            }

            var raw = text[start..end];
            if (!TryParseComponent(raw, start, components.Count == 0, out var component, out error))
            {
                return false;
            }

            components.Add(component);
            start = end + 1;
        }

        path = new FsPath([.. components]);
        return true;
    }

    // Finds the ':' ending the component at 'start'; inside <...> separators are label text.
    private static int FindSeparator(string text, int start)
    {
        if (start < text.Length && text[start] == '<')
        {
            for (var i = start + 1; i < text.Length; i++)
            {
                if (text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == '>' && (i + 1 == text.Length || text[i + 1] == ':'))
                {
                    return i + 1;
                }
            }

            return -1;
        }

        var colon = text.IndexOf(':', start);
        return colon < 0 ? text.Length : colon;
    }

    private static bool TryParseComponent(string raw, int offset, bool first, out PathComponent component, out string error)
    {
        component = default;
        error = "";
        if (raw.Length == 0)
        {
            error = $"empty path component at offset {offset}";
            return false;
        }

        if (raw == "~")
        {
            if (!first)
            {
                error = $"'~' may only start a path (offset {offset})";
                return false;
            }

            component = new PathComponent(PathComponentKind.Home);
            return true;
        }

        if (raw == "%")
        {
            component = new PathComponent(PathComponentKind.CurrentFacet);
            return true;
        }

        if (raw[0] == '<')
        {
            if (!Label.TryParse(raw[1..^1], out var label, out var labelError))
            {
                error = $"bad facet label at offset {offset + 1 + (labelError?.Offset ?? 0)}: {labelError?.Message}";
                return false;
            }

            component = PathComponent.ForFacet(label!);
            return true;
        }

        if (raw.Length > MaxNameLength)
        {
            error = $"name at offset {offset} is longer than {MaxNameLength} characters";
            return false;
        }

        foreach (var c in raw)
        {
            if (char.IsControl(c) || c == '>')
            {
                error = $"name at offset {offset} contains a control character or '>'";
                return false;
            }
        }

        // Names are store keys, which must be well-formed UTF-16.
        if (!Storage.MetadataKeys.IsWellFormedKey(raw))
        {
            error = $"name at offset {offset} contains a lone surrogate";
            return false;
        }

        component = PathComponent.ForName(raw);
        return true;
    }

    public override string ToString()
    {
        if (IsRoot)
        {
            return ":";
        }

        var sb = new StringBuilder();
        foreach (var c in Components)
        {
            if (sb.Length > 0)
            {
                sb.Append(':');
            }

            sb.Append(c.ToString());
        }

        return sb.ToString();
    }
}
