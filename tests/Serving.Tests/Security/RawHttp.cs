using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SpeechServe.Serving.Tests.Security;

/// <summary>
/// Sends bytes that HttpClient refuses to send (malformed request lines, control characters in headers) over
/// a plain TCP connection and reads the status line of the answer.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> to the server and returns the status and the response head.</summary>
    public static async Task<(int Status, string Head)> SendAsync(Uri server, byte[] request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, timeout.Token);
        await stream.FlushAsync(timeout.Token);

        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (!EndsHead(received))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
        }

        var head = Encoding.ASCII.GetString(received.ToArray());
        var statusLine = head.Split("\r\n", 2)[0];
        var parts = statusLine.Split(' ');
        Assert.True(parts.Length >= 2 && parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal), $"no HTTP status line in: {head}");
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), head);
    }

    /// <summary>A GET request for <paramref name="target"/> with the given header lines, as ASCII bytes plus any raw bytes.</summary>
    public static byte[] Get(string target, Uri server, params string[] headers)
    {
        var builder = new StringBuilder();
        builder.Append("GET ").Append(target).Append(" HTTP/1.1\r\n");
        builder.Append("Host: ").Append(server.Authority).Append("\r\n");
        foreach (var header in headers)
        {
            builder.Append(header).Append("\r\n");
        }

        builder.Append("Connection: close\r\n\r\n");
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private static bool EndsHead(MemoryStream received)
    {
        var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
        return bytes.IndexOf("\r\n\r\n"u8) >= 0;
    }
}
