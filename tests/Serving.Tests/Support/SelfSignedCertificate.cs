using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>A self-signed certificate for 127.0.0.1, written as PEM files for Kestrel's certificate configuration.</summary>
internal static class SelfSignedCertificate
{
    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="directory"/> and returns Kestrel's settings for them.</summary>
    public static IReadOnlyDictionary<string, string> WriteKestrelDefault(string directory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new Dictionary<string, string>
        {
            ["Kestrel__Certificates__Default__Path"] = certificatePath,
            ["Kestrel__Certificates__Default__KeyPath"] = keyPath,
        };
    }
}
