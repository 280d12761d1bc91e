namespace Faasten.Gateway.Fs;

/// <summary>
/// One upload's charge against its account's quota, taken before each chunk is written so the
/// store never holds a byte the quota did not cover. A declared length is charged at once;
/// a chunked body in steps, so a long upload costs few metadata writes. Settling keeps exactly
/// the bytes stored and refunds the rest.
/// </summary>
internal sealed class UploadCharge(UploadQuota quota, string account, long limit)
{
    private const long Step = 8L << 20;

    public string Account => account;

    public long Limit => limit;

    public long Reserved { get; private set; }

    /// <summary>Makes sure <paramref name="total"/> bytes are charged; false when the quota cannot cover them.</summary>
    public async ValueTask<bool> CoverAsync(long total, CancellationToken ct)
    {
        if (total <= Reserved)
        {
            return true;
        }

        var need = total - Reserved;
        if (need < Step && await quota.TryChargeAsync(account, Step, limit, ct).ConfigureAwait(false))
        {
            Reserved += Step;
            return true;
        }

        // Near the end of the quota a whole step may not fit where the bytes themselves do.
        if (await quota.TryChargeAsync(account, need, limit, ct).ConfigureAwait(false))
        {
            Reserved += need;
            return true;
        }

        return false;
    }

    /// <summary>Keeps the charge for <paramref name="stored"/> bytes and refunds the rest; runs even when the request was aborted.</summary>
    public async ValueTask SettleAsync(long stored)
    {
        var refund = Reserved - Math.Min(stored, Reserved);
        Reserved -= refund;
        await quota.RefundAsync(account, refund, CancellationToken.None).ConfigureAwait(false);
    }
}
