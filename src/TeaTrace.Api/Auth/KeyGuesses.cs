using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Auth;

internal sealed class KeyGuessOptions
{
    public const string SectionName = "TeaTrace:KeyGuesses";

    /// <summary>Failed key checks (unknown or revoked keys, failed dashboard sign-ins) an address may make per window.</summary>
    [Range(1, 100_000)]
    public int FailureLimit { get; set; } = 20;

    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = 600;
}

/// <summary>
/// Counts failed key checks per client address. Past the limit, every key check from that address is refused (429)
/// until the window ends, a right key included: otherwise a guesser would still learn when it hit. Keys are 256 random
/// bits, so this is about noise and load more than odds; it also slows a person trying a leaked list of keys.
/// </summary>
internal sealed class KeyGuesses(IOptionsMonitor<KeyGuessOptions> options, TimeProvider clock)
{
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);

    private sealed record Window(DateTimeOffset Start, int Failures);

    /// <summary>True (with how long to wait) when the address has used up its failures for this window.</summary>
    public bool IsBlocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var o = options.CurrentValue;
        if (!_failures.TryGetValue(Key(address), out var window))
        {
            return false;
        }

        var ends = window.Start.AddSeconds(o.WindowSeconds);
        var now = clock.GetUtcNow();
        if (now >= ends || window.Failures < o.FailureLimit)
        {
            return false;
        }

        retryAfter = ends - now;
        return true;
    }

    public void RecordFailure(IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var seconds = options.CurrentValue.WindowSeconds;
        _failures.AddOrUpdate(Key(address), _ => new Window(now, 1),
            (_, window) => now >= window.Start.AddSeconds(seconds) ? new Window(now, 1) : window with { Failures = window.Failures + 1 });
        if (_failures.Count > PruneAbove)
        {
            foreach (var (key, window) in _failures)
            {
                if (now >= window.Start.AddSeconds(seconds))
                {
                    _failures.TryRemove(key, out _);
                }
            }
        }
    }

    private static string Key(IPAddress? address) => address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
