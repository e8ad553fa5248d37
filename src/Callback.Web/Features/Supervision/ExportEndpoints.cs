using Callback.Web.Features.Account;
using Callback.Web.Security;

namespace Callback.Web.Features.Supervision;

/// <summary>The statistics downloads, for supervisors (their département) and admins (all).</summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapSupervisionExports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/supervision").RequireAuthorization(Policies.Supervision);
        group.MapGet("/export.csv", async (HttpContext http, StatisticsExport export, TimeProvider clock) =>
        {
            var rows = await export.BuildAsync(CurrentUser.FromPrincipal(http.User), http.RequestAborted);
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"callback-statistics-{Stamp(clock)}.csv\"";
            await StatisticsExport.WriteCsvAsync(rows, http.Response.Body, http.RequestAborted);
        });
        group.MapGet("/export.xlsx", async (HttpContext http, StatisticsExport export, TimeProvider clock) =>
        {
            var rows = await export.BuildAsync(CurrentUser.FromPrincipal(http.User), http.RequestAborted);
            // The Open XML writer needs a seekable stream; the file is small (counts only).
            using var buffer = new MemoryStream();
            StatisticsExport.WriteXlsx(rows, buffer);
            return Results.File(buffer.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"callback-statistics-{Stamp(clock)}.xlsx");
        });
        return app;
    }

    private static string Stamp(TimeProvider clock) => clock.GetUtcNow().ToString("yyyyMMdd-HHmm", System.Globalization.CultureInfo.InvariantCulture);
}
