using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace TeaTrace.Api.Features.Privacy;

/// <summary>An entry's private fields and the salt that opens its commitment.</summary>
internal sealed record SealedPartResponse(long Index, string Salt, JsonElement Fields, string Commitment);

public sealed record ErasureRequest(
    [property: Required, StringLength(40, MinimumLength = 1)] string Subject,
    [property: Required, StringLength(500, MinimumLength = 1)] string Reason);

/// <summary>What an erasure removed: the entries whose sealed parts named the subject.</summary>
internal sealed record ErasureResponse(string Id, string Subject, int Erased, IReadOnlyList<long> Entries, long EntryIndex, DateTimeOffset ErasedAt);
