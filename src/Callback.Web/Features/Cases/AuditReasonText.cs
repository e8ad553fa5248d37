using System.Globalization;
using System.Text.RegularExpressions;
using Callback.Domain.Audit;
using Callback.Domain.Cases;
using Callback.Domain.Contact;
using Callback.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Callback.Web.Features.Cases;

/// <summary>
/// The words of an audit entry in the reader's language. Audit records stay English (ADR 9: stable, hashed in the
/// chain); the case timeline and the audit page read them through this, so a French page says « Pas de réponse, 2 sur 3
/// sans contact » where the record says <c>NoAnswer, 2 of 3 without contact</c>. Only what the domain writes itself is
/// translated, by the form it is written in (<c>Case.cs</c>, <c>PatrolRequest.AuditReason</c>, <c>SafeContact</c>,
/// <c>FileFacts</c>); what a person typed after a colon is shown as typed, and a reason of an unknown form as recorded.
/// </summary>
public static partial class AuditReasonText
{
    /// <summary>Every action the log records: the constants of <see cref="AuditActions"/> and one alert per deadline kind.</summary>
    public static IReadOnlyList<string> AllActions { get; } =
    [
        .. typeof(AuditActions).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(AuditActions.AlertPrefix))
            .Select(f => (string)f.GetRawConstantValue()!),
        .. Enum.GetValues<DeadlineKind>().Select(AuditActions.Alert),
    ];

    /// <summary>The action's label (<c>Action.*</c>), or the action as recorded when it has none.</summary>
    public static string Action(string action, IStringLocalizer<Text> text)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(text);
        if (action.StartsWith(AuditActions.AlertPrefix, StringComparison.Ordinal))
        {
            return Found(text[$"Action.{action}"]) ?? Found(text["Action.Alert"]) ?? action;
        }

        return Found(text[$"Action.{action}"]) ?? action;
    }

    /// <summary>
    /// The reason of an entry of <paramref name="action"/> in the current culture; <paramref name="localTime"/> shows a
    /// recorded UTC instant (the deadline, the follow-up time) in the unit's zone.
    /// </summary>
    public static string? Reason(string action, string? reason, IStringLocalizer<Text> text, Func<DateTime, string> localTime)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(localTime);
        if (string.IsNullOrEmpty(reason))
        {
            return reason;
        }

        // A check-in's words are the same whatever it led to (the plan goes on, the case closes, a patrol).
        if (CheckInPattern().Match(reason) is { Success: true } checkIn)
        {
            return CheckIn(checkIn.Groups[1].Value, checkIn.Groups[2].Value, text, localTime);
        }

        return action switch
        {
            AuditActions.Open => Prefixed(reason, "campaign ", id => Format(text["Reason.Campaign"], id)),
            // Reopened into a campaign opened from a query (issue 18.4); any other reopening reason is a person's words or a fixed phrase.
            AuditActions.Reopen when reason.StartsWith("campaign ", StringComparison.Ordinal) => Prefixed(reason, "campaign ", id => Format(text["Reason.Campaign"], id)),
            AuditActions.Review => Prefixed(reason, "danger ", level => Format(text["Reason.Danger"], Label<DangerLevel>(text, "Danger", level))),
            AuditActions.RecordAttempt => Attempt(reason, text),
            AuditActions.RecordContact or AuditActions.StartFollowUp or AuditActions.MaxAttemptsReached or AuditActions.RequestPatrol or AuditActions.ConfirmPatrol => Patrol(reason, text),
            AuditActions.ScheduleFollowUp => WithTail(reason, head => Prefixed(head, "follow-up at ", at => Format(text["Reason.FollowUpAt"], Instant(at, localTime)))),
            AuditActions.ContactDeadlineElapsed or AuditActions.CheckInDeadlineElapsed => Prefixed(reason, "deadline ", at => Format(text["Reason.Deadline"], Instant(at, localTime))),
            AuditActions.Dispatch => Prefixed(reason, "crew ", crew => Format(text["Reason.Crew"], crew)),
            AuditActions.ReportOutcome => WithTail(reason, head => Label<PatrolOutcome>(text, "PatrolOutcome", head)),
            AuditActions.CallOffPatrol => WithTail(reason, head => Label<PatrolCallOff>(text, "CallOff", head)),
            AuditActions.AddMeasure or AuditActions.UpdateMeasure or AuditActions.RemoveMeasure => Measure(reason, text, localTime),
            AuditActions.Close => WithTail(reason, head => Label<ClosureReason>(text, "Closure", head)),
            AuditActions.RaiseDanger or AuditActions.LowerDanger => WithTail(reason, head => DangerChange(head, text), tail => RaisedBy.TryGetValue(tail, out var key) ? text[key] : tail),
            AuditActions.Reassign => Prefixed(reason, "to ", rest => Format(text["Reason.Reassign"], rest)),
            AuditActions.UpdateSafeContact or AuditActions.UpdateFacts => Fields(reason, text),
            AuditActions.OpenIdentityAgain => Prefixed(reason, "reason of entry ", entry => Format(text["Reason.ReasonOfEntry"], entry)),
            AuditActions.Print => Printed(reason, text),
            AuditActions.ReferralStatus => ReferralChange(reason, text),
            AuditActions.RepeatVictimisation => RepeatFile(reason, text),
            AuditActions.MatchConfirmed or AuditActions.MatchRejected => MatchPattern().Match(reason) is { Success: true } m
                ? Format(text["Reason.MatchFile"], Role(m.Groups[1].Value, text), m.Groups[2].Value) : reason,
            AuditActions.Search => Searched(reason, text),
            AuditActions.Refer => ConsentPattern().Match(reason) is { Success: true } m ? Format(text["Reason.Referred"], m.Groups[1].Value, Found(text[$"PartnerKind.{m.Groups[2].Value}"]) ?? m.Groups[2].Value) : reason,
            _ when action.StartsWith(AuditActions.AlertPrefix, StringComparison.Ordinal) =>
                Prefixed(reason, "deadline ", at => Format(text["Reason.Deadline"], Instant(at, localTime))),
            _ => Fixed.TryGetValue(reason, out var key) ? text[key] : reason,
        };
    }

    /// <summary>The fixed phrases the sign-in, two-factor and consultation code write, and their keys.</summary>
    private static readonly Dictionary<string, string> Fixed = new(StringComparer.Ordinal)
    {
        ["with two-factor"] = "Reason.WithTwoFactor",
        ["too many failed two-factor codes"] = "Reason.TooManyTwoFactorFailures",
        ["wrong code at sign-in"] = "Reason.WrongCodeAtSignIn",
        ["wrong code at enrolment"] = "Reason.WrongCodeAtEnrolment",
        ["two-factor code requested"] = "Reason.TwoFactorRequested",
        ["account disabled"] = "Reason.AccountDisabled",
        ["too many failed sign-ins"] = "Reason.TooManySignInFailures",
        ["wrong password"] = "Reason.WrongPassword",
        ["identity, contact, address"] = "Reason.IdentityContactAddress",
        ["read"] = "Reason.Read",
        ["act"] = "Reason.Act",
        ["victim called in"] = "Reason.VictimCalledIn",
        ["victim called in, case closed"] = "Reason.VictimCalledInClosed",
        ["victim called in, case closed: reopened"] = "Reason.VictimCalledInReopened",
    };

    /// <summary>The reasons the domain gives a raise of danger itself (an officer's typed reason shows as typed).</summary>
    private static readonly Dictionary<string, string> RaisedBy = new(StringComparer.Ordinal)
    {
        ["repeat victimisation"] = "Reason.RaisedByRepeat",
        ["inbound call"] = "Reason.RaisedByInboundCall",
    };

    /// <summary><c>new file ID: victim by Phone, Address; perpetrator by NameAndBirthDate</c>, or <c>open files ID, ID</c>.</summary>
    private static string RepeatFile(string reason, IStringLocalizer<Text> text)
    {
        if (reason.StartsWith("open files ", StringComparison.Ordinal))
        {
            return Format(text["Reason.RepeatOpenFiles"], reason["open files ".Length..]);
        }

        var file = RepeatPattern().Match(reason);
        if (!file.Success)
        {
            return reason;
        }

        var people = new List<string>();
        foreach (var person in file.Groups[2].Value.Split("; "))
        {
            var by = MatchedByPattern().Match(person);
            if (!by.Success)
            {
                return reason;
            }

            people.Add(Format(text["Reason.PersonMatchedBy"], Role(by.Groups[1].Value, text), Kinds(by.Groups[2].Value, text)));
        }

        return Format(text["Reason.RepeatNewFile"], file.Groups[1].Value, string.Join(" ; ", people));
    }

    /// <summary><c>purpose: TYPED; by Reference, Phone; 3 in scope, 1 outside</c>: the purpose as typed, the rest translated.</summary>
    private static string Searched(string reason, IStringLocalizer<Text> text)
    {
        var search = SearchPattern().Match(reason);
        return search.Success
            ? Format(text["Reason.Search"], search.Groups[1].Value, Kinds(search.Groups[2].Value, text), search.Groups[3].Value, search.Groups[4].Value)
            : reason;
    }

    private static string Role(string role, IStringLocalizer<Text> text) =>
        Enum.TryParse<Domain.People.PersonRole>(role, ignoreCase: true, out var parsed) ? Found(text[$"PersonRole.{parsed}"]) ?? role : role;

    private static string Kinds(string kinds, IStringLocalizer<Text> text) =>
        string.Join(", ", kinds.Split(", ").Select(kind => Label<Domain.People.PersonKeyKind>(text, "MatchedBy", kind)));

    private static string Printed(string reason, IStringLocalizer<Text> text)
    {
        var parts = reason.Split(", identity ", 2);
        if (parts.Length != 2 || !Enum.TryParse<Domain.Workflow.PrintView>(parts[0], out _) || parts[1] is not ("shown" or "masked"))
        {
            return reason;
        }

        return Format(text[parts[1] == "shown" ? "Reason.PrintedShown" : "Reason.PrintedMasked"], Found(text[$"PrintView.{parts[0]}"]) ?? parts[0]);
    }

    private static string ReferralChange(string reason, IStringLocalizer<Text> text)
    {
        var change = ReferralPattern().Match(reason);
        return change.Success
            ? $"{Format(text["Reason.Referral"], change.Groups[1].Value)} : {Found(text[$"ReferralStatus.{change.Groups[2].Value}"]) ?? change.Groups[2].Value} → {Found(text[$"ReferralStatus.{change.Groups[3].Value}"]) ?? change.Groups[3].Value}"
            : reason;
    }

    private static string Attempt(string reason, IStringLocalizer<Text> text)
    {
        var counted = AttemptPattern().Match(reason);
        if (counted.Success)
        {
            return Format(text["Reason.Attempt"], Label<AttemptOutcome>(text, "Outcome", counted.Groups[1].Value), counted.Groups[2].Value, counted.Groups[3].Value);
        }

        return Label<AttemptOutcome>(text, "Outcome", reason);
    }

    private static string Patrol(string reason, IStringLocalizer<Text> text)
    {
        if (reason == "victim reached")
        {
            return text["Reason.VictimReached"];
        }

        if (ContactDecisions.TryGetValue(reason, out var decision))
        {
            return text[decision];
        }

        if (reason == "danger during the call")
        {
            return text["Reason.DangerDuringCall"];
        }

        if (reason == "contact deadline elapsed")
        {
            return text["Reason.ContactDeadlineElapsed"];
        }

        if (reason == "follow-up check-in deadline elapsed")
        {
            return text["Reason.CheckInDeadlineElapsed"];
        }

        var attempts = AttemptsPattern().Match(reason);
        if (attempts.Success)
        {
            return Format(text["Reason.AttemptsWithoutContact"], attempts.Groups[1].Value);
        }

        // An officer's typed reason for a patrol is French already.
        return WithTail(reason, head => head == "immediate danger at review" ? text["Reason.DangerAtReview"] : head);
    }

    /// <summary>What the officer decided with her at the first contact (Case.RecordContact), and their keys.</summary>
    private static readonly Dictionary<string, string> ContactDecisions = new(StringComparer.Ordinal)
    {
        ["victim reached, follow-up plan"] = "Reason.VictimReachedFollowUp",
        ["victim reached, declines follow-up"] = "Reason.VictimReachedDeclines",
        [$"victim reached, {DeclinesHighDanger}"] = "Reason.VictimReachedDeclinesHighDanger",
    };

    private const string DeclinesHighDanger = "declines follow-up: supervisor decides (high danger)";

    /// <summary>"check-in 2, next at 2026-…" and the other ends of a check-in (Case.RecordCheckIn).</summary>
    private static string CheckIn(string number, string rest, IStringLocalizer<Text> text, Func<DateTime, string> localTime) => rest switch
    {
        "follow-up completed" => Format(text["Reason.CheckInCompleted"], number),
        "victim declines follow-up" => Format(text["Reason.CheckInDeclined"], number),
        $"victim {DeclinesHighDanger}" => Format(text["Reason.CheckInDeclinedHighDanger"], number),
        _ when rest.StartsWith("next at ", StringComparison.Ordinal) => Format(text["Reason.CheckInNext"], number, Instant(rest["next at ".Length..], localTime)),
        _ => $"{Format(text["Reason.CheckIn"], number)}, {rest}",
    };

    /// <summary>"ProtectionOrder #2 2026-01-04T23:00:00.0000000Z..": the kind, the number and the dates (either may be missing), each the day it is in the unit's zone.</summary>
    private static string Measure(string reason, IStringLocalizer<Text> text, Func<DateTime, string> localTime)
    {
        var measure = MeasurePattern().Match(reason);
        if (!measure.Success)
        {
            return reason;
        }

        // localTime gives the unit's date and time ("g"); a measure is a day: its date part.
        string Day(string recorded) => recorded.Length == 0 ? "—" : Instant(recorded, localTime).Split(' ')[0];
        return Format(text["Reason.Measure"], Label<MeasureKind>(text, "MeasureKind", measure.Groups[1].Value), measure.Groups[2].Value,
            Day(measure.Groups[3].Value), Day(measure.Groups[4].Value));
    }

    private static string DangerChange(string head, IStringLocalizer<Text> text)
    {
        var parts = head.Split(" -> ", 2);
        return parts.Length == 2 && Enum.TryParse<DangerLevel>(parts[0], out _) && Enum.TryParse<DangerLevel>(parts[1], out _)
            ? $"{Label<DangerLevel>(text, "Danger", parts[0])} → {Label<DangerLevel>(text, "Danger", parts[1])}"
            : head;
    }

    private static string Fields(string reason, IStringLocalizer<Text> text) =>
        string.Join(", ", reason.Split(", ").Select(field => Found(text[$"Field.{field.Replace(' ', '_')}"]) ?? field));

    /// <summary>"head: what a person typed": the head translated, the tail as typed (or through <paramref name="tail"/>, for the domain's own).</summary>
    private static string WithTail(string reason, Func<string, string> head, Func<string, string>? tail = null)
    {
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? head(reason) : $"{head(reason[..colon])} : {(tail ?? (t => t))(reason[(colon + 2)..])}";
    }

    private static string Prefixed(string reason, string prefix, Func<string, string> rest) =>
        reason.StartsWith(prefix, StringComparison.Ordinal) ? rest(reason[prefix.Length..]) : reason;

    private static string Label<TEnum>(IStringLocalizer<Text> text, string group, string value)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, out _) ? Found(text[$"{group}.{value}"]) ?? value : value;

    private static string Instant(string recorded, Func<DateTime, string> localTime) =>
        DateTime.TryParse(recorded, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? localTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : recorded;

    private static string? Found(LocalizedString value) => value.ResourceNotFound ? null : value.Value;

    private static string Format(LocalizedString format, params object[] values) =>
        string.Format(CultureInfo.CurrentCulture, format.Value, values);

    [GeneratedRegex(@"^(\w+), (\d+) of (\d+) without contact$")]
    private static partial Regex AttemptPattern();

    [GeneratedRegex(@"^referral (\S+): (\w+) -> (\w+)$")]
    private static partial Regex ReferralPattern();

    [GeneratedRegex(@"^partner (\S+) \((\w+)\), consent given$")]
    private static partial Regex ConsentPattern();

    [GeneratedRegex(@"^check-in (\d+), (.+)$")]
    private static partial Regex CheckInPattern();

    [GeneratedRegex(@"^(\w+) #(\d+) (\S*)\.\.(\S*)$")]
    private static partial Regex MeasurePattern();

    [GeneratedRegex(@"^(\d+) attempts without contact$")]
    private static partial Regex AttemptsPattern();

    [GeneratedRegex(@"^new file (\S+): (.+)$")]
    private static partial Regex RepeatPattern();

    [GeneratedRegex(@"^(victim|perpetrator) by (\w+(?:, \w+)*)$")]
    private static partial Regex MatchedByPattern();

    [GeneratedRegex(@"^(victim|perpetrator), file (\S+)$")]
    private static partial Regex MatchPattern();

    [GeneratedRegex(@"^purpose: (.*); by (\w+(?:, \w+)*); (\d+\+?) in scope, (\d+) outside$", RegexOptions.Singleline)]
    private static partial Regex SearchPattern();

    /// <summary>
    /// <paramref name="reason"/> with each file id it names replaced by that file's reference from <paramref name="references"/>,
    /// or by <paramref name="outsideScope"/> for a file the reader may not see: the log names files by id, an officer by reference.
    /// </summary>
    public static string NamingFiles(string reason, IReadOnlyDictionary<Guid, string> references, string outsideScope)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(references);
        return FileIdPattern().Replace(reason, m => references.TryGetValue(Guid.Parse(m.Value), out var reference) ? reference : outsideScope);
    }

    /// <summary>The ids of the other files <paramref name="reason"/> names, as <see cref="NamingFiles"/> finds them.</summary>
    public static IEnumerable<Guid> FilesNamed(string? reason) =>
        reason is null ? [] : FileIdPattern().Matches(reason).Select(m => Guid.Parse(m.Value));

    [GeneratedRegex(@"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", RegexOptions.IgnoreCase)]
    private static partial Regex FileIdPattern();
}
