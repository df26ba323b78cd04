using Microsoft.AspNetCore.DataProtection;
using WebhookAdmin.Data;

namespace WebhookAdmin.Hosting.Security;

/// <summary>
/// The Data Protection key ring: in the database by default (ADR-004), or in <c>DataProtection:KeysFolder</c>, and
/// encrypted with <c>DataProtection:Certificate</c> when one is given (ADR-016). Read at registration: Data Protection
/// takes its repository and certificate then, and a wrong setting should stop the start rather than the first sign-in.
/// </summary>
public static class KeyStorage
{
    public static IServiceCollection AddKeyStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(KeyStorageOptions.Section).Get<KeyStorageOptions>() ?? new KeyStorageOptions();
        var dataProtection = services.AddDataProtection().SetApplicationName("WebhookAdmin");

        if (string.IsNullOrWhiteSpace(options.KeysFolder))
            dataProtection.PersistKeysToDbContext<AppDbContext>();
        else
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(Path.GetFullPath(options.KeysFolder)));

        // Also decrypts with it: on Linux the framework would otherwise look for it in the store, where a PFX never is.
        if (options.Certificate.IsSet)
            dataProtection.ProtectKeysWithCertificate(KeyCertificate.Load(options.Certificate));
        return services;
    }
}
