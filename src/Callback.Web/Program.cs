using Callback.Web;
using Callback.Web.Cli;
using Callback.Web.Demo;
using Callback.Web.Persistence;

// Before anything opens a file: the database, the keys and the job store are created for this account only.
Callback.Web.Security.PrivateFiles.RestrictNewFiles();
var command = CommandLine.IsCommand(args) ? args : null;
var builder = WebApplication.CreateBuilder(command is null ? args : []);
builder.AddCallback();
var app = builder.Build();

if (command is not null)
{
    return await CommandLine.RunAsync(command, app.Services, Console.Out);
}

if (app.Services.GetRequiredService<Callback.Web.Training.TrainingMode>().IsOn)
{
    // Before the migration: a real database pointed at by mistake is neither upgraded nor seeded.
    await Callback.Web.Training.TrainingGuard.EnsureDemoOnlyAsync(app.Services);
}

await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
if (app.Configuration.GetValue<bool>("Demo:SeedOnStart"))
{
    var seeded = await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
    Console.WriteLine($"Demo data: {seeded.Message}");
}

app.MapCallback();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
