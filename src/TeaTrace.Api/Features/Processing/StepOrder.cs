namespace TeaTrace.Api.Features.Processing;

/// <summary>Black tea's steps go withering → rolling → fermentation → drying, each once, each after the one before.</summary>
internal static class StepOrder
{
    public static IReadOnlyList<string> Steps => BatchLimits.Steps;

    /// <summary>The step that comes next after this many recorded steps; null when all are recorded.</summary>
    public static string? Next(int recorded) => recorded < Steps.Count ? Steps[recorded] : null;

    /// <summary>The earliest a step may start: when the batch started, or when the step before it ended.</summary>
    public static DateTimeOffset NotBefore(DateTimeOffset batchStarted, DateTimeOffset? previousEnded) => previousEnded ?? batchStarted;
}
