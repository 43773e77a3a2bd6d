using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SpeechServe.Serving.Security;

/// <summary>
/// The configured API keys, kept only as SHA-256 hashes. A presented key is compared with every configured
/// key in constant time (hashes of equal length, no early exit), so neither which key matched nor any key's
/// length leaks through timing.
/// </summary>
public sealed class ApiKeyRing
{
    private readonly byte[][] _hashes;

    /// <summary>Hashes the keys of <paramref name="options"/>.</summary>
    public ApiKeyRing(IOptions<ApiAccessOptions> options)
        : this(options?.Value.ApiKeys ?? throw new ArgumentNullException(nameof(options)))
    {
    }

    private ApiKeyRing(IEnumerable<string> keys) => _hashes = [.. keys.Select(Hash)];

    /// <summary>A ring of <paramref name="keys"/>, such as the one admin key.</summary>
    public static ApiKeyRing Of(params IEnumerable<string> keys) => new(keys);

    /// <summary>Whether any key is configured; without one, <c>/v1</c> is open.</summary>
    public bool IsEnabled => _hashes.Length > 0;

    /// <summary>How many keys are configured.</summary>
    public int Count => _hashes.Length;

    /// <summary>The position of <paramref name="presented"/> among the configured keys, or -1 when it is none of them.</summary>
    public int Identify(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || _hashes.Length == 0)
        {
            return -1;
        }

        var hash = Hash(presented);
        var match = -1;
        for (var i = 0; i < _hashes.Length; i++)
        {
            // Every key is compared, whatever matched before.
            if (CryptographicOperations.FixedTimeEquals(hash, _hashes[i]))
            {
                match = i;
            }
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
