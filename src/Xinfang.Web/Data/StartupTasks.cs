using Xinfang.Web.Identity;

namespace Xinfang.Web.Data;

/// <summary>At start-up: apply migrations (Database:MigrateOnStart, default on), then bootstrap the root unit and admin.</summary>
sealed class StartupTasks(IServiceScopeFactory scopes, IConfiguration config) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        if (config.GetValue("Database:MigrateOnStart", true))
            await scope.ServiceProvider.GetRequiredService<Migrator>().MigrateAsync(ct);
        await scope.ServiceProvider.GetRequiredService<Bootstrap>().RunAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
