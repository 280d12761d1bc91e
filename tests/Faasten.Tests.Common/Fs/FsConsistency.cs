using Faasten.Fs;
using Faasten.Fs.Objects;
using Faasten.Labels;

namespace Faasten.Tests.Common.Fs;

/// <summary>The store is consistent when every name reachable from the root leads to an object.</summary>
public static class FsConsistency
{
    /// <summary>Walks everything reachable from the root as the superuser, failing on a name that does not resolve; returns the paths seen.</summary>
    public static async Task<HashSet<string>> AssertAsync(FileSystem fs)
    {
        var super = new SecurityContext(Component.False);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([""]);
        while (pending.TryPop(out var path))
        {
            var stat = await fs.StatAsync(super, path);
            Assert.True(stat.IsOk, $"'{path}' is linked but does not resolve: {stat}");
            seen.Add(path);
            if (stat.Value.Kind == ObjectKind.Directory)
            {
                var list = await fs.ListAsync(super, path);
                Assert.True(list.IsOk, list.ToString());
                foreach (var entry in list.Value!)
                {
                    pending.Push(path.Length == 0 ? entry.Name : path + ":" + entry.Name);
                }
            }
            else if (stat.Value.Kind == ObjectKind.FacetedDirectory)
            {
                var facets = await fs.ListFacetsAsync(super, path, Label.Parse("F,T"));
                Assert.True(facets.IsOk, facets.ToString());
                foreach (var facet in facets.Value!)
                {
                    pending.Push($"{path}:<{facet}>");
                }
            }
        }

        return seen;
    }
}
