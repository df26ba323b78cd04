using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using WebhookAdmin.Components;
using WebhookAdmin.Data;
using WebhookAdmin.Data.Postgres;
using WebhookAdmin.Features.Accounts;
using WebhookAdmin.Features.Deliveries;
using WebhookAdmin.Features.Events;
using WebhookAdmin.Features.Notifications;
using WebhookAdmin.Features.Operations;
using WebhookAdmin.Features.Webhooks;
using WebhookAdmin.Features.Webhooks.Subscriptions;
using WebhookAdmin.Hosting.Api;
using WebhookAdmin.Hosting.Limits;
using WebhookAdmin.Hosting.Security;

namespace WebhookAdmin.Hosting;

/// <summary>Everything the app registers, feature by feature. Program.cs calls <see cref="AddWebhookAdmin"/>.</summary>
public static class WebhookAdminServices
{
    public static WebApplicationBuilder AddWebhookAdmin(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.TryAddTimeProvider();
        services.AddDatabase(configuration);
        services.AddAccounts();
        services.AddApi();
        services.AddWebhooks();
        services.AddEvents();
        services.AddDeliveries(configuration);
        services.AddOperations(configuration);
        services.AddNotifications(configuration);

        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection(BootstrapOptions.Section));
        services.AddForwardedHeadersSupport(configuration);
        services.AddLimits(configuration);
        services.AddSecureCookies();
        services.AddScoped<Bootstrapper>();
        services.AddScoped<OrganizationService>();
        services.AddScoped<OrganizationQueries>();
        services.AddHealthChecks()
            .AddCheck("self", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(), tags: ["live"])
            .AddCheck<ReadinessCheck>("ready", tags: ["ready"]);

        services.AddAdminUi();
        return builder;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
            services.AddSingleton<TimeProvider>(new MicrosecondClock());
    }

    private static void AddDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton<WriteGate>();
        // The provider decides which services exist (ADR-020); its connection string is read when the first
        // context is made, not here: configuration added after AddWebhookAdmin (WebApplicationFactory's overrides,
        // for one) must decide which database is used.
        if (DatabaseOptions.ProviderOf(configuration) == DatabaseProvider.Postgres)
        {
            services.AddSingleton<PostgresEngine>();
            services.AddSingleton<DatabaseEngine>(sp => sp.GetRequiredService<PostgresEngine>());
            // How instances hear each other (LISTEN/NOTIFY); what they say is the outbox's (ClusterRelay).
            services.AddSingleton<PostgresChannel>();
            services.AddHostedService<PostgresChannelListener>();
            services.AddPooledDbContextFactory<PostgresDbContext>(ConfigureContext);
            services.AddSingleton<IDbContextFactory<AppDbContext>, AppContextFactory>();
        }
        else
        {
            services.AddSingleton<SqlitePragmas>();
            services.AddSingleton<DatabaseEngine, SqliteEngine>();
            services.AddHostedService<WalCheckpointer>();
            services.AddPooledDbContextFactory<AppDbContext>(ConfigureContext);
        }
        // Identity's stores want a scoped context; it comes from the same pool.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());

        services.AddKeyStorage(configuration);
    }

    private static void ConfigureContext(IServiceProvider services, DbContextOptionsBuilder options)
    {
        services.GetRequiredService<DatabaseEngine>().Configure(options, services);
        options.AddInterceptors(services.GetRequiredService<SubscriptionChangeInterceptor>())
            // Deliveries of a deleted (filtered-out) webhook stay readable on purpose: the log outlives the webhook.
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
    }

    private static void AddAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(
                ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/login";
            cookie.LogoutPath = "/logout";
            cookie.AccessDeniedPath = "/login";
            cookie.SlidingExpiration = true;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Webhooks, ApiPolicies.Scope(Scopes.Webhooks))
            .AddPolicy(ApiPolicies.EventsPublish, ApiPolicies.Scope(Scopes.EventsPublish))
            .AddPolicy(ApiPolicies.Admin, ApiPolicies.Scope(Scopes.Admin))
            .AddPolicy(ApiPolicies.AnyToken, policy => policy
                .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());

        services.AddSingleton<ApiTokenCache>();
        services.AddSingleton<SignInThrottle>();
        services.AddScoped<ApiTokenService>();
    }

    private static void AddApi(this IServiceCollection services)
    {
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddOpenApi(options => options.AddDocumentTransformer<ApiDocument>().AddOperationTransformer<ApiDocument>());
        // Small by default; the batch ingestion route raises its own limit.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = Features.Events.EventsApi.MaxEventBody);
    }
}
