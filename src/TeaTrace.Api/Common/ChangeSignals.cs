namespace TeaTrace.Api.Common;

/// <summary>
/// In-process notices that cached reads are stale. Caches also expire on their own after a few seconds, so another
/// instance's change is seen soon even without a notice.
/// </summary>
internal sealed class ChangeSignals
{
    private long _recalls;

    public long Recalls => Interlocked.Read(ref _recalls);

    public void RecallIssued() => Interlocked.Increment(ref _recalls);
}
