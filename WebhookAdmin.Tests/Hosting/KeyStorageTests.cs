using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Hosting.Security;
using WebhookAdmin.Tests.Api;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>
/// <c>DataProtection:KeysFolder</c> and <c>DataProtection:Certificate</c> (ADR-016): the key ring leaves the database and
/// is encrypted with the certificate, so a copy of the database alone, or of the key folder without the certificate,
/// cannot decrypt a webhook's signing secret.
/// </summary>
public sealed class KeyStorageTests : IDisposable
{
    private const string PfxPassword = "pfx pass phrase 7!";

    private readonly string _folder = Directory.CreateTempSubdirectory("wha-keys-").FullName;

    [Fact]
    public async Task With_a_key_folder_and_a_certificate_only_the_folder_and_the_certificate_together_open_the_secrets()
    {
        var keys = Path.Combine(_folder, "keys");
        var pfx = WriteCertificate(_folder, "keys.pfx");
        await using var database = TestDatabase.Create();
        Dictionary<string, string?> folderAndCertificate = new()
        {
            ["DataProtection:KeysFolder"] = keys,
            ["DataProtection:Certificate:Path"] = pfx,
            ["DataProtection:Certificate:Password"] = PfxPassword,
        };

        // The apps below share the database and run side by side; it is disposed after them.
        await using var original = new TestApp(folderAndCertificate, database: database);
        var created = await original.Api().PostOk("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hooks" }, HttpStatusCode.Created);
        var (id, secret) = (created.Str("id"), created.Str("secret"));
        Assert.Equal(secret, await ReadSecretAsync(original, id));

        var keyFiles = Directory.GetFiles(keys, "*.xml");
        Assert.NotEmpty(keyFiles);
        foreach (var file in keyFiles)
        {
            var xml = await File.ReadAllTextAsync(file, Test.Ct);
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        }
        Assert.Equal(0, await KeysInDatabaseAsync(original));

        // The database alone (a new, empty key folder): the secret is unreadable.
        await using var databaseOnly = new TestApp(new Dictionary<string, string?>
        {
            ["DataProtection:KeysFolder"] = Path.Combine(_folder, "fresh-keys"),
        }, database: database);
        await Assert.ThrowsAsync<CryptographicException>(() => ReadSecretAsync(databaseOnly, id));

        // The database and the key files, without the certificate: still unreadable.
        await using var withoutCertificate = new TestApp(new Dictionary<string, string?> { ["DataProtection:KeysFolder"] = keys }, database: database);
        await Assert.ThrowsAsync<CryptographicException>(() => ReadSecretAsync(withoutCertificate, id));

        // All three again, in a new process of the app: the secret as it was made.
        await using var restarted = new TestApp(folderAndCertificate, database: database);
        Assert.Equal(secret, await ReadSecretAsync(restarted, id));
    }

    [Fact]
    public void A_wrong_certificate_password_stops_the_start_naming_the_setting_and_never_the_password()
    {
        var folder = _folder;
        {
            var pfx = WriteCertificate(folder, "keys.pfx");
            const string wrong = "not-the-pfx-password-42";
            var error = Assert.Throws<InvalidOperationException>(() =>
                KeyCertificate.Load(new KeyCertificateOptions { Path = pfx, Password = wrong }));
            Assert.Contains("DataProtection:Certificate:Password", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);

            var missing = Assert.Throws<InvalidOperationException>(() =>
                KeyCertificate.Load(new KeyCertificateOptions { Path = Path.Combine(folder, "none.pfx"), Password = wrong }));
            Assert.Contains("DataProtection:Certificate:Path", missing.Message, StringComparison.Ordinal);

            using var loaded = KeyCertificate.Load(new KeyCertificateOptions { Path = pfx, Password = PfxPassword });
            Assert.True(loaded.HasPrivateKey);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>What the engine does before it signs: unprotect the stored secret with the app's key ring.</summary>
    private static async Task<string> ReadSecretAsync(TestApp app, string webhookId)
    {
        await using var db = await app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct);
        var stored = await db.Webhooks.IgnoreQueryFilters().Where(w => w.Id == webhookId).Select(w => w.ProtectedSecret).SingleAsync(Test.Ct);
        return app.Service<WebhookSecrets>().Unprotect(stored);
    }

    private static async Task<int> KeysInDatabaseAsync(TestApp app)
    {
        await using var db = await app.Service<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Test.Ct);
        return await db.DataProtectionKeys.CountAsync(Test.Ct);
    }

    /// <summary>A self-signed RSA certificate with its key, as a PFX an operator would hand over.</summary>
    private static string WriteCertificate(string folder, string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=WebhookAdmin keys (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, PfxPassword));
        return path;
    }
}
