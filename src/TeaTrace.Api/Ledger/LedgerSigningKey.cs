using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Ledger;

namespace TeaTrace.Api.Ledger;

/// <summary>
/// The log's Ed25519 key, named after the origin. Generated on first start into a file only the service's user can
/// read (mode 0600); the private key is never logged or served, only its verifier key.
/// </summary>
internal sealed class LedgerSigningKey
{
    private readonly NoteSigner _signer;

    public LedgerSigningKey(IOptions<LedgerOptions> options, IHostEnvironment environment, ILogger<LedgerSigningKey> logger)
    {
        Origin = options.Value.Origin;
        var path = Path.IsPathRooted(options.Value.SigningKeyPath)
            ? options.Value.SigningKeyPath
            : Path.GetFullPath(Path.Combine(environment.ContentRootPath, options.Value.SigningKeyPath));
        KeyPath = path;
        if (File.Exists(path))
        {
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
        }
        else
        {
            _signer = NoteSigner.Generate(Origin);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new StreamWriter(path, System.Text.Encoding.UTF8, create))
            {
                file.WriteLine(_signer.ExportSignerKey());
            }

            logger.LogWarning("Generated a new ledger signing key at {Path}; its verifier key is {VerifierKey}. Back the key file up: checkpoints can only be signed with it.",
                path, _signer.Verifier.VerifierKey);
        }
    }

    public string Origin { get; }

    public string KeyPath { get; }

    public NoteVerifier Verifier => _signer.Verifier;

    public string Sign(Checkpoint checkpoint) => SignedNote.Sign(checkpoint.Format(), _signer).Format();
}
