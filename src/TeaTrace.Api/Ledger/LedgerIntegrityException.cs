namespace TeaTrace.Api.Ledger;

/// <summary>The stored ledger contradicts itself or its signed checkpoints: the service refuses to start.</summary>
internal sealed class LedgerIntegrityException(string message) : Exception(message);
