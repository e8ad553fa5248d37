using System.Globalization;
using System.Text;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Notifications;
using Callback.Domain.Units;
using MimeKit;

namespace Callback.Jobs.Mail;

/// <summary>
/// The text of an outbox row, in French (the cells' language). Everything comes from the row's fields and the unit: a kind,
/// a reference, a deadline and a link, never a name, a number or an address, because the row holds none. The same row
/// always renders the same message under the same Message-Id.
/// </summary>
public static class MailComposer
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        [AuditActions.Alert(DeadlineKind.ReviewOverdue)] = "Dossier non examiné dans le délai",
        [AuditActions.Alert(DeadlineKind.DispatchAcknowledgementOverdue)] = "Demande de patrouille non prise en compte",
        [AuditActions.Alert(DeadlineKind.PatrolReportOverdue)] = "Compte rendu de patrouille en retard",
        [AuditActions.Alert(DeadlineKind.ContactDeadline)] = "Délai de contact dépassé",
        [AuditActions.Alert(DeadlineKind.PatrolProposalOverdue)] = "Patrouille proposée sans décision : un superviseur doit la confirmer ou la refuser",
        [AuditActions.Alert(DeadlineKind.CheckInDeadline)] = "Point de suivi manqué : la victime n'a pas été rappelée dans le délai",
        [AlertOutbox.JobStoreDown] = "Le magasin de tâches ne répond plus : les échéances sont tenues par le balayage seul",
        [AlertOutbox.Digest] = "Point du matin",
        [DigestLine.DueToday] = "À traiter aujourd'hui",
        [DigestLine.Overdue] = "En retard",
        [DigestLine.PatrolAwaitingOutcome] = "Patrouille en attente de compte rendu",
    };

    public static string KindText(string kind) => Kinds.TryGetValue(kind, out var text) ? text : kind;

    public static MimeMessage Compose(OutboxMessage row, Unit? unit, SmtpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(settings);
        var message = new MimeMessage { MessageId = row.MessageId };
        message.From.Add(MailboxAddress.Parse(settings.From));
        foreach (var to in row.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Date = new DateTimeOffset(DateTime.SpecifyKind(row.CreatedUtc, DateTimeKind.Utc));
        var zone = unit?.TimeZone ?? TimeZoneInfo.FindSystemTimeZoneById(Unit.DefaultTimeZoneId);
        var baseUrl = settings.LinkBaseUrl.TrimEnd('/');
        var body = new StringBuilder();
        var kind = KindText(row.Kind);
        var where = unit is null ? "toutes les unités" : $"{unit.Code} ({unit.Name})";
        message.Subject = row.Reference is { } reference ? $"[Callback] {kind} : {reference} ({unit?.Code})" : $"[Callback] {kind} : {where}";
        body.AppendLine(CultureInfo.InvariantCulture, $"Alerte : {kind}");
        body.AppendLine(CultureInfo.InvariantCulture, $"Unité : {where}");
        if (row.Reference is not null)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Référence : {row.Reference}");
        }

        if (row.DeadlineUtc is { } deadline)
        {
            body.AppendLine(CultureInfo.InvariantCulture, $"Échéance : {Local(deadline, zone)}");
        }

        if (row.Details is { } details)
        {
            AppendDigest(body, details, zone, baseUrl);
        }

        body.AppendLine();
        body.AppendLine(CultureInfo.InvariantCulture, $"Lien : {baseUrl}{(row.CaseId is { } id ? $"/cases/{id}" : "/supervision")}");
        body.AppendLine();
        body.AppendLine("Ce message ne contient aucune donnée personnelle : ouvrez le lien pour consulter le dossier.");
        message.Body = new TextPart("plain") { Text = body.ToString() };
        return message;
    }

    private static void AppendDigest(StringBuilder body, string details, TimeZoneInfo zone, string baseUrl)
    {
        var lines = DigestLine.Parse(details);
        foreach (var group in lines.GroupBy(l => l.Kind))
        {
            body.AppendLine();
            body.AppendLine(CultureInfo.InvariantCulture, $"{KindText(group.Key)} ({group.Count()}) :");
            foreach (var line in group)
            {
                body.AppendLine(CultureInfo.InvariantCulture, $"- {line.Reference}, échéance {(line.DueUtc is { } due ? Local(due, zone) : "-")} : {baseUrl}/cases/{line.CaseId}");
            }
        }

        if (lines.Count == 0)
        {
            body.AppendLine();
            body.AppendLine("Aucun dossier en retard, à traiter aujourd'hui ou en attente de compte rendu.");
        }
    }

    private static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).ToString("dd/MM/yyyy HH:mm", French) + $" ({zone.Id})";
}

/// <summary>One case in a morning digest: what about it, its reference, its deadline, its id (for the link).</summary>
public sealed record DigestLine(string Kind, string Reference, DateTime? DueUtc, Guid CaseId)
{
    public const string DueToday = "DueToday";
    public const string Overdue = "Overdue";
    public const string PatrolAwaitingOutcome = "PatrolAwaitingOutcome";

    public string Format() => $"{Kind}|{Reference}|{DueUtc?.ToString("O", CultureInfo.InvariantCulture)}|{CaseId}";

    public static IReadOnlyList<DigestLine> Parse(string details) =>
        [.. (details ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            // The reference is free text and may hold a '|': the kind is first, the deadline and the id last.
            var parts = line.Split('|');
            DateTime? due = parts[^2].Length == 0 ? null : DateTime.Parse(parts[^2], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            return new DigestLine(parts[0], string.Join('|', parts[1..^2]), due, Guid.Parse(parts[^1]));
        })];
}
