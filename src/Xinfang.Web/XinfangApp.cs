using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xinfang.Web.Api;
using Xinfang.Web.Calendar;
using Xinfang.Web.Data;
using Xinfang.Web.Identity;
using Xinfang.Web.Intake;
using Xinfang.Web.Operations;
using Xinfang.Web.Organisation;
using Xinfang.Web.Petitions;
using Xinfang.Web.Routing;
using Xinfang.Web.Testing;

namespace Xinfang.Web;

/// <summary>Wiring only: services, middleware and endpoint groups of every capability.</summary>
public static class XinfangApp
{
    public const long DefaultMaxBodyBytes = 1_048_576;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Run from any folder: the shipped appsettings.json sits beside the binary (lowest priority, as usual).
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (!File.Exists(Path.Combine(builder.Environment.ContentRootPath, "appsettings.json")) && File.Exists(shipped))
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = shipped, Optional = true, FileProvider = null, ReloadOnChange = false }.Also(s => s.ResolveFileProvider()));
        // api.md: configuration also comes from environment variables Xinfang__Section__Key; the command line still wins.
        var commandLine = builder.Configuration.Sources.OfType<Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource>().FirstOrDefault();
        var index = commandLine is null ? builder.Configuration.Sources.Count : builder.Configuration.Sources.IndexOf(commandLine);
        builder.Configuration.Sources.Insert(index, new Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix = "Xinfang__" });
        var config = builder.Configuration;
        var services = builder.Services;

        // Configuration is read lazily (in factories and per request), so hosts built by tests see their overrides.
        long MaxBody() => config.GetValue("Limits:MaxBodyBytes", DefaultMaxBodyBytes);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBody());

        // First of all hosted services: the schema exists before anything (the data-protection key ring) reads it.
        services.AddHostedService<StartupTasks>();
        services.AddSingleton<Cryptography.PersonalDataCipher>();
        services.AddSingleton<Dashboard.MeasureRecorder>();
        services.AddDbContext<XinfangDb>((sp, o) => Cryptography.PersonalDataStorage.UsePersonalData(Store.Configure(o, config), sp.GetRequiredService<Cryptography.PersonalDataCipher>())
            .AddInterceptors(sp.GetRequiredService<Dashboard.MeasureRecorder>()));
        services.AddScoped<Cryptography.PersonalDataRewrite>();
        services.AddScoped<Migrator>();
        services.AddSingleton(sp => new ControllableClock(sp.GetRequiredService<IConfiguration>().GetValue("Testing:ControllableClock", false)));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ControllableClock>());
        services.AddSingleton<CalendarStore>();
        services.AddOptions<WorkflowOptions>().Bind(config.GetSection("Workflow"))
            .Validate(o => o.UnknownWarningClocks.Count == 0 && o.Warnings.Values.All(d => d >= 0), "Workflow:Warnings names a clock that does not exist (dispose, notify, report, handle, review, reReview…) or a negative number of days");
        services.AddScoped<PetitionWorkflow>();
        services.AddScoped<RegisterPetition>();
        services.AddScoped<FindSimilarPetitions>();
        services.AddScoped<DecideRepeatLink>();
        services.AddScoped<ReindexBandKeys>();
        services.AddScoped<ListPetitions>();
        services.AddScoped<Search.SearchPetitions>();
        services.AddScoped<GetPetition>();
        services.AddScoped<Bootstrap>();
        services.AddScoped<SignInStaff>();
        services.AddScoped<Workbench.MyWork>();
        services.Configure<Portal.PortalOptions>(config.GetSection("Portal"));
        services.AddScoped<Portal.Challenges>();
        services.AddScoped<Portal.PetitionerAccess>();
        services.AddScoped<Portal.TrackPetition>();
        services.AddScoped<Portal.SubmitOnline>();
        services.AddScoped<Portal.RateOnline>();
        services.AddScoped<Portal.PetitionerSteps>();
        services.AddScoped<Portal.DownloadAnswer>();
        services.Configure<Attachments.AttachmentOptions>(config.GetSection("Attachments"));
        services.AddScoped<Attachments.AttachmentStore>();
        services.AddScoped<Attachments.AddAttachments>();
        services.AddScoped<Workbench.OpenPetition>();
        services.AddScoped<RevealPersonalData>();
        services.AddScoped<RecordRecusal>();
        Audit.AuditEndpoints.AddAudit(services);
        Analysis.AnalysisEndpoints.AddAnalysis(services);
        Notifications.Notifier.AddNotifications(services);
        Ownership.OwnershipEndpoints.AddOwnership(services);
        Supervision.SupervisionEndpoints.AddSupervision(services);
        ClusterResolution.ClusterResolutionEndpoints.AddClusterResolution(services);
        FollowUp.FollowUpEndpoints.AddFollowUp(services);
        Backlog.BacklogEndpoints.AddBacklog(services, config);
        Notifications.NotificationEndpoints.AddNotificationCentre(services);
        Warnings.WarningEndpoints.AddWarnings(services);
        UrgentReports.UrgentReportEndpoints.AddUrgentReports(services);
        Ledgers.LedgerEndpoints.AddLedgers(services);
        Documents.DocumentEndpoints.AddDocuments(services);
        Dashboard.DashboardEndpoints.AddDashboard(services);
        services.AddRazorComponents();
        // Chinese stays Chinese in the HTML (the default encoder writes every character as an entity).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (ctx, ct) =>
            {
                // Pages get a Chinese page; the API gets a problem.
                var http = ctx.HttpContext;
                if (http.Request.Path.StartsWithSegments("/portal"))
                {
                    http.Response.ContentType = "text/html; charset=utf-8";
                    await http.Response.WriteAsync("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>请稍后再试</title><link rel=\"stylesheet\" href=\"/css/portal.css\"></head><body><main><h1>请稍后再试</h1><p>您提交得过于频繁，请稍后再试。</p><p><a href=\"/portal\">返回阳光信访首页</a></p></main></body></html>", ct);
                }
            };
            // Per client address, in this node's memory: a coarse first line; query-code guessing is throttled in the store.
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";
            o.AddPolicy(Portal.PortalEndpoints.ReadPolicy, http =>
            {
                var p = http.RequestServices.GetRequiredService<IOptions<Portal.PortalOptions>>().Value;
                return System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(Client(http), _ => new() { PermitLimit = p.RequestsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            o.AddPolicy(Portal.PortalEndpoints.SubmitPolicy, http =>
            {
                var p = http.RequestServices.GetRequiredService<IOptions<Portal.PortalOptions>>().Value;
                return System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter("submit:" + Client(http), _ => new() { PermitLimit = p.SubmitsPerWindow, Window = TimeSpan.FromMinutes(p.SubmitWindowMinutes) });
            });
        });
        services.AddHostedService<DeadlineSweep>();
        services.AddOperations();

        // One default that picks by path: the workbench's pages (/staff) read the sign-in cookie, everything else a bearer token.
        // So a cookie never authorises the API, and antiforgery tokens on /staff pages belong to the signed-in user.
        services.AddAuthentication(o => o.DefaultScheme = "by-path")
            .AddPolicyScheme("by-path", "Cookie for /staff, bearer token elsewhere", o => o.ForwardDefaultSelector = http =>
                http.Request.Path.StartsWithSegments("/staff") ? IdentityConstants.ApplicationScheme : IdentityConstants.BearerScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromMinutes(config.GetValue("Auth:TokenMinutes", 60));
                // Tokens expire by the real clock even when a controllable clock moves the workflow's notion of now.
                o.TimeProvider = TimeProvider.System;
            })
            // The workbench's pages sign in with a cookie; the API keeps to bearer tokens (no cookie ever authorises /api).
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.Cookie.Name = "xinfang.staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Idle timeout: the session lapses after this long without a request.
                o.ExpireTimeSpan = TimeSpan.FromMinutes(config.GetValue("Auth:IdleMinutes", 30));
                o.SlidingExpiration = true;
                o.LoginPath = "/staff/login";
                o.AccessDeniedPath = "/staff/login";
                o.TimeProvider = TimeProvider.System;
            });
        services.AddAuthorization();
        services.AddIdentityCore<StaffUser>(o =>
            {
                // Length and character classes are PasswordPolicy's (three of four classes); Identity's own rules stay off.
                o.Password.RequiredLength = 0;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = config.GetValue("Auth:MaxFailedAttempts", 5);
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(config.GetValue("Auth:LockoutMinutes", 15));
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<XinfangDb>()
            .AddSignInManager<Audit.AuditedSignIn>() // every sign-in outcome on the audit trail
            .AddPasswordValidator<PasswordPolicy>()
            .AddTokenProvider<AuthenticatorTokenProvider<StaffUser>>(TokenOptions.DefaultAuthenticatorProvider);
        TwoFactor.AddTwoFactor(services);
        SecurityHeaders.AddSecurityHeaders(services);
        SignInLimits.AddSignInLimits(services);
        services.AddDataProtection().SetApplicationName("Xinfang");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DbXmlRepository(sp.GetRequiredService<IServiceScopeFactory>())));

        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => Json.Configure(o.JsonSerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var p = ctx.ProblemDetails;
            if (p.Type is null || p.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                var (code, title) = Problems.ForStatus(p.Status ?? 500);
                p.Type = Problems.TypeBase + code;
                p.Title = title;
                p.Detail = null; // never leak exception text
            }
        });
        services.AddExceptionHandler<StoreRefusals>();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Xinfang API";
            doc.Info.Description = "信访事项管理系统 HTTP API v1";
            return Task.CompletedTask;
        }));

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseOperationsMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (http, next) =>
        {
            var maxBody = MaxBody();
            // Oversized bodies answer 413 before anything is read (Kestrel enforces the same limit while streaming).
            // Upload endpoints declare their own, larger limit.
            if (http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize is { } own) maxBody = own;
            if (http.Request.ContentLength > maxBody)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                var (code, title) = Problems.ForStatus(413);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails { Status = 413, Type = Problems.TypeBase + code, Title = title, Detail = $"上限 {maxBody} 字节" },
                });
                return;
            }
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBody;
            await next();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapHomePage();
        app.MapGet("/healthz", async (XinfangDb db, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct) ? Results.Ok(new { status = "ok" }) : Problems.Make(503, "store-unreachable", "数据库不可用"))
            .AllowAnonymous().WithTags("Operations");
        app.MapOperationsEndpoints();
        app.MapIdentityEndpoints();
        app.MapUnitEndpoints();
        app.MapPetitionEndpoints();
        Search.SearchEndpoints.MapSearchEndpoints(app);
        app.MapRoutingEndpoints();
        app.MapCalendarEndpoints();
        Portal.PortalEndpoints.MapPortalApi(app);
        Portal.PortalPages.MapPortalPages(app);
        Workbench.WorkbenchPages.MapWorkbenchPages(app);
        app.MapEmbeddedAssets();
        Attachments.AttachmentEndpoints.MapAttachmentEndpoints(app);
        Analysis.AnalysisEndpoints.MapAnalysisEndpoints(app);
        Audit.AuditEndpoints.MapAuditEndpoints(app);
        Ownership.OwnershipEndpoints.MapOwnershipEndpoints(app);
        Supervision.SupervisionEndpoints.MapSupervisionEndpoints(app);
        ClusterResolution.ClusterResolutionEndpoints.MapClusterResolutionEndpoints(app);
        FollowUp.FollowUpEndpoints.MapFollowUpEndpoints(app);
        Backlog.BacklogEndpoints.MapBacklogEndpoints(app);
        Notifications.NotificationEndpoints.MapNotificationEndpoints(app);
        Warnings.WarningEndpoints.MapWarningEndpoints(app);
        UrgentReports.UrgentReportEndpoints.MapUrgentReportEndpoints(app);
        Ledgers.LedgerEndpoints.MapLedgerEndpoints(app);
        Documents.DocumentEndpoints.MapDocumentEndpoints(app);
        Dashboard.DashboardEndpoints.MapDashboardEndpoints(app);
        if (app.Services.GetRequiredService<ControllableClock>().IsControllable) app.MapTestingClock();
        return app;
    }
}

static class ConfigurationSourceExtensions
{
    public static T Also<T>(this T value, Action<T> act) { act(value); return value; }
}

/// <summary>The store: SQLite (default, ./data/xinfang.db) or PostgreSQL, chosen by Database:Provider.</summary>
public static class Store
{
    public const string DefaultSqlite = "Data Source=./data/xinfang.db";

    public static bool IsPostgres(IConfiguration config) =>
        string.Equals(config["Database:Provider"], "postgres", StringComparison.OrdinalIgnoreCase)
        || string.Equals(config["Database:Provider"], "postgresql", StringComparison.OrdinalIgnoreCase);

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder o, IConfiguration config)
    {
        var cs = config.GetConnectionString("Xinfang");
        if (IsPostgres(config))
        {
            if (string.IsNullOrWhiteSpace(cs)) throw new InvalidOperationException("Database:Provider=postgres needs ConnectionStrings:Xinfang.");
            o.UseNpgsql(cs);
        }
        else
        {
            var b = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(cs) ? DefaultSqlite : cs) { ForeignKeys = true, DefaultTimeout = 30 };
            o.UseSqlite(b.ToString()).AddInterceptors(new SqliteBusyTimeout());
        }
        return o;
    }
}
