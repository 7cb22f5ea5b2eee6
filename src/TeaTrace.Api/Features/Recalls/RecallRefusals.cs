using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Recalls;

/// <summary>Refusals of recalls and traces, in English and Chinese.</summary>
internal static class RecallRefusals
{
    public static Refusal OneScope() =>
        Invalid("harvestId", new("Give exactly one of harvestId, batchId or lotId.", "请只填写 harvestId、batchId 或 lotId 其中之一。"));

    public static Refusal HarvestNeeded() =>
        Invalid("harvestId", new("Give harvestId (an id or a harvest code).", "请填写 harvestId（采摘记录编号或标签码）。"));

    public static Refusal SerialNeeded() =>
        Invalid("serial", new("Give serial, a unit's serial.", "请填写 serial（单品序列号）。"));
}
