using System.Security.Cryptography.X509Certificates;

namespace WebhookAdmin.Hosting.Security;

/// <summary>
/// <c>DataProtection:*</c>: where the key ring that encrypts signing secrets and sign-in cookies lives, and what
/// encrypts the keys themselves (ADR-016, amending ADR-004). Unset: in the database, unencrypted, as before.
/// </summary>
public sealed class KeyStorageOptions
{
    public const string Section = "DataProtection";

    /// <summary>A folder for the key files instead of the database, so a copy of the database alone holds no key.</summary>
    public string? KeysFolder { get; set; }

    public KeyCertificateOptions Certificate { get; set; } = new();
}

/// <summary>An X.509 certificate (RSA, with its private key) that encrypts every new key: a PFX file or the store.</summary>
public sealed class KeyCertificateOptions
{
    public string? Path { get; set; }

    /// <summary>The PFX file's password. Never logged, never in an error message.</summary>
    public string? Password { get; set; }

    /// <summary>Instead of <see cref="Path"/>: the certificate's thumbprint in the "My" store of <see cref="StoreLocation"/>.</summary>
    public string? Thumbprint { get; set; }

    public StoreLocation StoreLocation { get; set; } = StoreLocation.CurrentUser;

    public bool IsSet => !string.IsNullOrWhiteSpace(Path) || !string.IsNullOrWhiteSpace(Thumbprint);
}
