using System.Net;
using System.Text.RegularExpressions;
using Callback.Domain.Cases;
using Callback.Domain.Identity;
using Callback.Domain.Persistence;
using Callback.Domain.Units;
using Callback.Domain.Workflow;
using Callback.Web.Features.Account;
using Callback.Web.Persistence;
using Callback.Web.Security;
using Callback.Web.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Callback.Web.Tests.Security;

/// <summary>
/// The real host with one user per role in département 62, an officer and a supervisor of département 59, and one
/// case of unit CTC-62 whose victim's names are canaries.
/// </summary>
public sealed partial class SecuredSite : IAsyncDisposable
{
    public const string Password = "violet-harbour-lantern";
    public const string CaseReference = "62-2026-777001";
    public const string VictimLastName = "Zorglubienne";
    public const string AuthenticatorKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    public static readonly string[] Accounts =
        ["officer62", "supervisor62", "dispatcher62", "admin", "officer59", "supervisor59"];

    private SecuredSite(CallbackFactory factory) => Factory = factory;

    public CallbackFactory Factory { get; }
    public Guid CaseId { get; private set; }
    public IServiceProvider Services => Factory.Services;
    public IDbContextFactory<CallbackDbContext> Databases => Services.GetRequiredService<IDbContextFactory<CallbackDbContext>>();

    public static string Email(string account) => $"{account}@test.callback";

    /// <summary>An installation seeded earlier (a restart, a restore): the same accounts, nothing added.</summary>
    public static SecuredSite Reopen(CallbackFactory factory) => new(factory);

    public static async Task<SecuredSite> StartAsync(CallbackFactory? factory = null)
    {
        var site = new SecuredSite(factory ?? new CallbackFactory());
        await site.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        int unit62;
        await using (var db = await site.Databases.CreateDbContextAsync())
        {
            var a = new Unit("CTC-62", "Cellule 62", "62", "Europe/Paris");
            db.Units.AddRange(a, new Unit("CTC-59", "Cellule 59", "59", "Europe/Paris"));
            await db.SaveChangesAsync();
            unit62 = a.Id;
        }

        await using (var scope = site.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserAdministration>();
            var enrolment = scope.ServiceProvider.GetRequiredService<TwoFactorEnrolment>();
            await users.CreateAsync(Email("officer62"), "Officier 62", Password, Roles.Officer, "CTC-62");
            await enrolment.EnrolAsync(await users.CreateAsync(Email("supervisor62"), "Superviseur 62", Password, Roles.Supervisor, "CTC-62"), AuthenticatorKey);
            await users.CreateAsync(Email("dispatcher62"), "Dispatch 62", Password, Roles.Dispatcher, "CTC-62");
            await enrolment.EnrolAsync(await users.CreateAsync(Email("admin"), "Admin", Password, Roles.Admin, null), AuthenticatorKey);
            await users.CreateAsync(Email("officer59"), "Officier 59", Password, Roles.Officer, "CTC-59");
            await enrolment.EnrolAsync(await users.CreateAsync(Email("supervisor59"), "Superviseur 59", Password, Roles.Supervisor, "CTC-59"), AuthenticatorKey);
            // Enrolled by hand, not by the form: the enrolment form has a test of its own.
            await users.CreateAsync(Email("supervisor-new"), "Superviseur sans 2FA", Password, Roles.Supervisor, "CTC-62");
        }

        site.CaseId = await site.Services.GetRequiredService<CaseWorkflowService>().OpenAsync("CTC-62",
            new NewCase(CaseReference, new DateTime(2026, 11, 25, 20, 0, 0, DateTimeKind.Utc), OffenceCategory.ConjugalViolence,
                new Victim("Ondine", VictimLastName, "0611223344", "5 impasse des Canaris"), new Perpetrator("Gaspard Canarien", TriState.Yes)),
            Actor.User("seed", unit62, "62", Roles.Officer));
        return site;
    }

    public HttpClient Anonymous() =>
        Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real form (and the two-factor step when the account has it) and returns the client holding the cookie.</summary>
    public async Task<HttpClient> SignedInAsync(string account)
    {
        var client = Anonymous();
        var response = await PasswordStepAsync(client, account);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        if (response.Headers.Location?.OriginalString.StartsWith("/account/2fa", StringComparison.Ordinal) == true)
        {
            response = await PostFormAsync(client, response.Headers.Location.OriginalString, "/account/2fa", new()
            {
                ["code"] = Totp.Code(AuthenticatorKey, TimeProvider.System.GetUtcNow()),
                ["returnUrl"] = "/queue",
            });
        }

        Assert.Equal("/queue", response.Headers.Location?.OriginalString);
        return client;
    }

    public static Task<HttpResponseMessage> PasswordStepAsync(HttpClient client, string account) =>
        PostFormAsync(client, "/account/login", "/account/signin", new()
        {
            ["email"] = Email(account),
            ["password"] = Password,
            ["returnUrl"] = "/queue",
        });

    /// <summary>Loads <paramref name="formPage"/> for its antiforgery token, then posts the form to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string formPage, string action, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(new Uri(formPage, UriKind.Relative));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"{formPage} must carry an antiforgery token");
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    public async Task<List<Domain.Audit.AuditEntry>> AuditAsync(string action)
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Sequence).ToListAsync();
    }

    public async Task<string> UserIdAsync(string account)
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.Users.Where(u => u.Email == Email(account)).Select(u => u.Id).SingleAsync();
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
