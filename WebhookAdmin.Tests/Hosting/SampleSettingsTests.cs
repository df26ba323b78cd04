using Microsoft.Extensions.Configuration;
using WebhookAdmin.Data;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Notifications;
using WebhookAdmin.Features.Operations;
using WebhookAdmin.Hosting;
using WebhookAdmin.Hosting.Limits;
using WebhookAdmin.Hosting.Security;

namespace WebhookAdmin.Tests.Hosting;

/// <summary>appsettings.sample.json promises "every setting with its default": hold it to that.</summary>
public sealed class SampleSettingsTests
{
    private static IConfigurationRoot Sample()
    {
        var directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "appsettings.sample.json")))
            directory = Path.GetDirectoryName(directory);
        Assert.NotNull(directory);
        return new ConfigurationBuilder().AddJsonFile(Path.Combine(directory, "appsettings.sample.json")).Build();
    }

    [Fact]
    public void The_sample_lists_every_delivery_option_with_the_default_the_app_uses()
    {
        var section = Sample().GetSection(DeliveryOptions.Section);
        var defaults = new DeliveryOptions();
        foreach (var property in typeof(DeliveryOptions).GetProperties())
            Assert.True(section.GetSection(property.Name).Exists(), $"appsettings.sample.json lacks Delivery:{property.Name}");

        var bound = section.Get<DeliveryOptions>()!;
        Assert.Equal(defaults.InitialDelay, bound.InitialDelay);
        Assert.Equal(defaults.Timeout, bound.Timeout);
        Assert.Equal(defaults.MaxAttempts, bound.MaxAttempts);
        Assert.Equal(DeliveryOptions.DefaultRetryDelays, bound.RetryDelays);
        Assert.Equal(defaults.AllowPrivateNetworks, bound.AllowPrivateNetworks);
        Assert.Equal(defaults.MaxConcurrency, bound.MaxConcurrency);
        Assert.Equal(defaults.MaxConcurrencyPerWebhook, bound.MaxConcurrencyPerWebhook);
        Assert.Equal(defaults.PollInterval, bound.PollInterval);
        Assert.Equal(defaults.ClaimBatchSize, bound.ClaimBatchSize);
        Assert.Equal(defaults.LeaseDuration, bound.LeaseDuration);
    }

    [Fact]
    public void The_sample_lists_every_notification_option_with_the_default_the_app_uses()
    {
        var section = Sample().GetSection(NotificationOptions.Section);
        foreach (var property in typeof(NotificationOptions).GetProperties().Where(p => p.CanWrite))
            Assert.True(section.GetSection(property.Name).Exists(), $"appsettings.sample.json lacks Notifications:{property.Name}");
        foreach (var property in typeof(SmtpSettings).GetProperties())
            Assert.True(section.GetSection("Smtp").GetSection(property.Name).Exists(), $"appsettings.sample.json lacks Notifications:Smtp:{property.Name}");
        var defaults = new NotificationOptions();
        var bound = section.Get<NotificationOptions>()!;
        Assert.Equal((defaults.FailingAfter, defaults.PollInterval, defaults.Smtp.Port, defaults.Smtp.Security),
            (bound.FailingAfter, bound.PollInterval, bound.Smtp.Port, bound.Smtp.Security));
        Assert.Equal(NotificationOptions.DefaultRetryDelays, bound.RetryDelays);
        // The contract's defaults (section 1): no email until a host is set, a warning after three failures.
        Assert.False(bound.EmailsOn);
        Assert.Equal(3, bound.FailingAfter);
        Assert.True(Sample().GetSection("App:PublicUrl").Exists(), "appsettings.sample.json lacks App:PublicUrl");
    }

    [Fact]
    public void The_sample_lists_the_database_options_with_their_defaults()
    {
        var section = Sample().GetSection(DatabaseOptions.Section);
        foreach (var property in typeof(DatabaseOptions).GetProperties())
            Assert.True(section.GetSection(property.Name).Exists(), $"appsettings.sample.json lacks Database:{property.Name}");
        Assert.Equal(new DatabaseOptions().Synchronous, section.Get<DatabaseOptions>()!.Synchronous);
    }

    [Fact]
    public void The_sample_lists_every_retention_option_with_the_default_the_app_uses()
    {
        var section = Sample().GetSection(RetentionOptions.Section);
        foreach (var property in typeof(RetentionOptions).GetProperties())
            Assert.True(section.GetSection(property.Name).Exists(), $"appsettings.sample.json lacks Retention:{property.Name}");
        var defaults = new RetentionOptions();
        var bound = section.Get<RetentionOptions>()!;
        Assert.Equal((defaults.Period, defaults.FailedPeriod, defaults.Interval), (bound.Period, bound.FailedPeriod, bound.Interval));
        // The contract's defaults (section 1).
        Assert.Equal((TimeSpan.FromDays(30), TimeSpan.FromDays(90), TimeSpan.FromMinutes(10)), (defaults.Period, defaults.FailedPeriod, defaults.Interval));
    }

    [Fact]
    public void The_sample_names_every_bootstrap_key_and_the_connection_string()
    {
        var sample = Sample();
        foreach (var key in new[] { "AdminEmail", "AdminPassword", "ApiToken", "DemoData" })
            Assert.True(sample.GetSection($"Bootstrap:{key}").Exists(), $"appsettings.sample.json lacks Bootstrap:{key}");
        Assert.Equal("Data Source=webhookadmin.db", sample.GetConnectionString("Default"));
    }

    [Fact]
    public void The_sample_lists_every_forwarded_headers_option_with_the_default_the_app_uses()
    {
        var section = Sample().GetSection(ForwardedHeadersSettings.Section);
        foreach (var property in typeof(ForwardedHeadersSettings).GetProperties())
            Assert.True(section.GetSection(property.Name).Exists(), $"appsettings.sample.json lacks ForwardedHeaders:{property.Name}");
        var defaults = new ForwardedHeadersSettings();
        var bound = section.Get<ForwardedHeadersSettings>()!;
        Assert.Equal(defaults.Enabled, bound.Enabled);
        Assert.Equal(defaults.KnownProxies, bound.KnownProxies);
        Assert.Equal(defaults.KnownNetworks, bound.KnownNetworks);
    }

    [Fact]
    public void The_sample_lists_every_metrics_option_with_the_default_the_app_uses()
    {
        var section = Sample().GetSection(MetricsOptions.Section);
        foreach (var property in typeof(MetricsOptions).GetProperties())
            Assert.True(section.GetSection(property.Name).Exists(), $"appsettings.sample.json lacks Metrics:{property.Name}");
        var defaults = new MetricsOptions();
        var bound = section.Get<MetricsOptions>()!;
        Assert.Equal(defaults.Anonymous, bound.Anonymous);
        Assert.Equal(defaults.GaugeMaxAge, bound.GaugeMaxAge);
    }

    [Fact]
    public void The_sample_lists_every_limit_with_the_default_the_app_uses()
    {
        var bound = Sample().GetSection(LimitsOptions.Section).Get<LimitsOptions>()!;
        var defaults = new LimitsOptions();
        foreach (var ((key, sample), (_, wanted)) in bound.All().Zip(defaults.All()))
        {
            Assert.True(Sample().GetSection(key + ":PermitLimit").Exists() && Sample().GetSection(key + ":Window").Exists(), $"appsettings.sample.json lacks {key}");
            Assert.Equal((wanted.PermitLimit, wanted.Window), (sample.PermitLimit, sample.Window));
        }
    }

    [Fact]
    public void The_sample_names_the_key_storage_and_cookie_settings_with_their_defaults()
    {
        var sample = Sample();
        foreach (var key in new[] { "KeysFolder", "Certificate:Path", "Certificate:Password", "Certificate:Thumbprint", "Certificate:StoreLocation" })
            Assert.True(sample.GetSection($"{KeyStorageOptions.Section}:{key}").Exists(), $"appsettings.sample.json lacks DataProtection:{key}");
        var bound = sample.GetSection(KeyStorageOptions.Section).Get<KeyStorageOptions>()!;
        Assert.True(string.IsNullOrEmpty(bound.KeysFolder) && !bound.Certificate.IsSet, "the sample must keep the keys where the app does by default");
        Assert.Equal(new KeyCertificateOptions().StoreLocation, bound.Certificate.StoreLocation);
        Assert.True(sample.GetSection(SecureCookies.Key).Exists(), $"appsettings.sample.json lacks {SecureCookies.Key}");
        // Empty means the environment's default (Always in Production), as when the key is not set at all.
        Assert.Null(sample.GetValue<Microsoft.AspNetCore.Http.CookieSecurePolicy?>(SecureCookies.Key));
    }

    /// <summary>"simple" is what ASP.NET Core's console logger uses when nothing is set; "json" is the documented alternative.</summary>
    [Fact]
    public void The_sample_names_the_console_log_format_with_its_default() =>
        Assert.Equal(Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Simple, Sample()[JsonLogs.FormatterKey]);
}
