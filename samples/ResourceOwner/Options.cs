using System.Globalization;

namespace ResourceOwner;

/// <summary>The command line.</summary>
/// <param name="Clients">Client threads sending requests.</param>
/// <param name="Batch">Requests a client sends before it waits for their replies.</param>
/// <param name="Seconds">How long the clients keep sending.</param>
internal sealed record Options(int Clients, int Batch, double Seconds)
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        ResourceOwner: the dedicated resource owner. One thread owns a plain (not thread-safe)
        Dictionary and serves requests from an Stm queue; each request carries its own reply box
        (a TMVar). Clients queue batches of requests, then collect and check the replies. Bad
        requests (missing key, unknown verb, overflow) must come back as error replies while the
        owner keeps serving everyone else.

        usage: dotnet run --project samples/ResourceOwner [-- options]

          --clients N    client threads (default 4; 1 to 64)
          --batch N      requests a client queues before waiting for replies (default 8; 1 to 1000)
          --seconds S    how long the clients send requests (default 3; more than 0, at most 600)
          --quick        a short run, about one second (--seconds 1)
          --help         print this text

        Exit code: 0 when the self-check passes, 1 when it fails, 2 on bad options.
        """;

    /// <summary>Reads the options; <paramref name="error"/> says what was wrong when it returns <see langword="false"/>.</summary>
    public static bool TryParse(string[] args, out Options options, out string? error)
    {
        options = new Options(Clients: 4, Batch: 8, Seconds: 3);
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : "(nothing)";
            switch (args[i])
            {
                case "--quick":
                    options = options with { Seconds = 1 };
                    continue;
                case "--clients" when TryInt(value, 1, 64, out int clients):
                    options = options with { Clients = clients };
                    break;
                case "--batch" when TryInt(value, 1, 1000, out int batch):
                    options = options with { Batch = batch };
                    break;
                case "--seconds" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is > 0 and <= 600:
                    options = options with { Seconds = seconds };
                    break;
                case "--clients" or "--batch" or "--seconds":
                    error = $"Invalid value '{value}' for {args[i]} (see --help for the allowed range).";
                    return false;
                default:
                    error = $"Unknown option '{args[i]}'.";
                    return false;
            }

            i++; // the option's value
        }

        return true;
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
