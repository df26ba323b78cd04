using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WebhookAdmin.Hosting.Security;

/// <summary>
/// Loads the certificate of <c>DataProtection:Certificate</c>. Every way it can be wrong stops the start with the key
/// to fix; none says the password.
/// </summary>
public static class KeyCertificate
{
    private const string Keys = $"{KeyStorageOptions.Section}:Certificate";

    public static X509Certificate2 Load(KeyCertificateOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Path) && !string.IsNullOrWhiteSpace(options.Thumbprint))
            throw Wrong($"{Keys}:Path and {Keys}:Thumbprint are both set: give one.");
        var certificate = string.IsNullOrWhiteSpace(options.Path) ? FromStore(options) : FromFile(options);
        if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
        {
            certificate.Dispose();
            throw Wrong($"{Keys}: the certificate must be an RSA certificate with its private key (the keys are decrypted with it).");
        }
        return certificate;
    }

    private static X509Certificate2 FromFile(KeyCertificateOptions options)
    {
        var path = System.IO.Path.GetFullPath(options.Path!);
        if (!File.Exists(path))
            throw Wrong($"{Keys}:Path: there is no file at {path}.");
        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.Password);
        }
        catch (CryptographicException)
        {
            // The exception is not passed on: its message is harmless today, but this is where a password would leak.
            throw Wrong($"{Keys}:Path: {path} does not open as a PFX file with {Keys}:Password (wrong password, or not a PKCS#12 file).");
        }
    }

    private static X509Certificate2 FromStore(KeyCertificateOptions options)
    {
        using var store = new X509Store(StoreName.My, options.StoreLocation);
        store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        var thumbprint = options.Thumbprint!.Replace(" ", "", StringComparison.Ordinal);
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
        return found.Count > 0
            ? found[0]
            : throw Wrong($"{Keys}:Thumbprint: no certificate {thumbprint} in the {options.StoreLocation}/My store.");
    }

    private static InvalidOperationException Wrong(string message) => new(message);
}
