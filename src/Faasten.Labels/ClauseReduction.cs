namespace Faasten.Labels;

/// <summary>Reduction of a conjunction of clauses to its canonical form (see <see cref="Component"/>).</summary>
internal static class ClauseReduction
{
    // Sorts the first length items, removes duplicates, then drops each clause implied by another
    // one; the kept clauses end up first, in order, and their count is returned.
    public static int Reduce(Clause[] items, int length)
    {
        if (length == 0)
        {
            return 0;
        }
        Array.Sort(items, 0, length);
        var unique = 1;
        for (var i = 1; i < length; i++)
        {
            if (!items[i].Equals(items[unique - 1]))
            {
                items[unique++] = items[i];
            }
        }
        // Keeps the minimal clauses. Distinct canonical clauses never imply each other both ways,
        // so every dropped clause is implied, transitively, by a kept one. This loop is quadratic
        // (LabelLimits bounds it: at most MaxClauseMerges candidates), so it pre-filters on
        // signature and size: an implying clause has no more principals than the one it implies.
        const int StackLimit = 256;
        Span<ulong> signatures = unique <= StackLimit ? stackalloc ulong[unique] : new ulong[unique];
        Span<int> lengths = unique <= StackLimit ? stackalloc int[unique] : new int[unique];
        Span<bool> kept = unique <= StackLimit ? stackalloc bool[unique] : new bool[unique];
        for (var i = 0; i < unique; i++)
        {
            signatures[i] = items[i].Signature;
            lengths[i] = items[i].PrincipalArray.Length;
        }
        for (var i = 0; i < unique; i++)
        {
            var signature = signatures[i];
            var principals = lengths[i];
            var implied = false;
            for (var j = 0; j < unique; j++)
            {
                if ((signatures[j] & ~signature) == 0 && lengths[j] <= principals && j != i && items[j].Implies(items[i]))
                {
                    implied = true;
                    break;
                }
            }
            kept[i] = !implied;
        }
        var count = 0;
        for (var i = 0; i < unique; i++)
        {
            if (kept[i])
            {
                items[count++] = items[i];
            }
        }
        return count;
    }
}
