namespace Callback.Jobs.Mail;

/// <summary>The SMTP server escalations go through (<c>Smtp:*</c>). No host: nothing is sent, the outbox keeps the messages.</summary>
public sealed class SmtpSettings
{
    public const string Section = "Smtp";

    public string? Host { get; set; }
    public int Port { get; set; } = 25;

    /// <summary><c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c> (MailKit's names).</summary>
    public string Security { get; set; } = "StartTlsWhenAvailable";

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Callback <callback@localhost>";

    /// <summary>The app's public address, for the link in each message (<c>https://callback.example.fr</c>).</summary>
    public string LinkBaseUrl { get; set; } = "http://localhost:5016";

    /// <summary>How often the sender looks for messages due.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts at one message (5 s, 10 s, 20 s, ... up to this).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a sender holds the messages it took; after a crash another sender takes them when this ends.</summary>
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages sent per round on one SMTP connection.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>The connection and command timeout.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The local hour (in each unit's time zone) of the morning digest.</summary>
    public int DigestHour { get; set; } = 7;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
