using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The log's Ed25519 key, named after the origin. Generated on first start into a file only the service's user can
/// read (mode 0600); the private key is never logged or served, only its verifier key. Beside it lives the signer's
/// own record of the last checkpoint it signed (<see cref="SignerRecord"/>).
/// </summary>
internal sealed class LedgerSigningKey
{
    private readonly NoteSigner _signer;
    private readonly Lock _recordLock = new();
    private SignerRecord? _lastSigned;

    public LedgerSigningKey(IOptions<LedgerOptions> options, IHostEnvironment environment, ILogger<LedgerSigningKey> logger)
    {
        Origin = options.Value.Origin;
        var path = Path.IsPathRooted(options.Value.SigningKeyPath)
            ? options.Value.SigningKeyPath
            : Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.SigningKeyPath));
        KeyPath = path;
        if (File.Exists(path))
        {
            PrivateFiles.SecureFiles(path, RecordPath);
            var text = File.ReadAllText(path).Trim();
            if (!NoteSigner.TryParse(text, out var signer))
            {
                throw new InvalidOperationException($"The ledger signing key at {path} is not a signed-note signer key (PRIVATE+KEY+…).");
            }

            if (signer.Name != Origin)
            {
                throw new InvalidOperationException(
                    $"The ledger signing key at {path} is named '{signer.Name}' but TeaTrace:Ledger:Origin is '{Origin}'. A log keeps its origin; set the origin back or move the key away.");
            }

            _signer = signer;
            // Null for a key from before the record was kept: the first start adopts the database's last checkpoint.
            _lastSigned = SignerRecord.Load(RecordPath, _signer.Verifier);
        }
        else
        {
            if (SignerRecord.SignedSize(RecordPath) is > 0 and var signed)
            {
                throw new LedgerIntegrityException(
                    $"The ledger signing key at {path} is missing, but the record beside it shows that the key signed checkpoint {signed} of this log. Refusing to start with a new key; restore the original key file.");
            }

            _signer = NoteSigner.Generate(Origin);
            PrivateFiles.SecureFolder(System.IO.Path.GetDirectoryName(path)!);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new StreamWriter(path, System.Text.Encoding.UTF8, create))
            {
                file.WriteLine(_signer.ExportSignerKey());
            }

            _lastSigned = SignerRecord.Empty;
            _lastSigned.Save(RecordPath);
            logger.LogWarning("Generated a new ledger signing key at {Path}; its verifier key is {VerifierKey}. Back the key file up: checkpoints can only be signed with it.",
                path, _signer.Verifier.VerifierKey);
        }
    }

    /// <summary>The file beside the key where the signer records what it last signed.</summary>
    public string RecordPath => SignerRecord.PathFor(KeyPath);

    /// <summary>What this key last signed; null only for a key from before records were kept, until the start adopts one.</summary>
    public SignerRecord? LastSigned
    {
        get
        {
            lock (_recordLock)
            {
                return _lastSigned;
            }
        }
    }

    /// <summary>Makes the record durable on disk before anyone may see the checkpoint it describes.</summary>
    public void Remember(SignerRecord record)
    {
        lock (_recordLock)
        {
            record.Save(RecordPath);
            _lastSigned = record;
        }
    }

    public string Origin { get; }

    public string KeyPath { get; }

    public NoteVerifier Verifier => _signer.Verifier;

    public string Sign(Checkpoint checkpoint) => SignedNote.Sign(checkpoint.Format(), _signer).Format();
}
