using Microsoft.Extensions.Logging;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

[Collection(OnnxTestGroup.Name)]
public sealed class OnnxHotPathTests(OnnxFixture fixture)
{
    [Fact]
    public void Run_IntoProvidedOutputs_AllocatesNoManagedMemoryPerCall()
    {
        using var session = fixture.Environment.CreateSession(fixture.Models.Scale);
        var x = new float[256];
        var y = new float[256];
        using var input = OnnxTensor.Create(x, x.Length);
        using var output = OnnxTensor.Create(y, y.Length);
        session.Run(["x"], [input], ["y"], [output]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            x[0] = i;
            session.Run(["x"], [input], ["y"], [output]);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(2f * 999, y[0]);
    }

    [Fact]
    public void CreateSession_VerboseSessionLogLevel_ForwardsRuntimeMessagesToTheLogger()
    {
        var options = new OnnxSessionOptions { LogLevel = OnnxLogLevel.Verbose };

        using var session = fixture.Environment.CreateSession(fixture.Models.Scale, options);

        Assert.Contains(fixture.Logger.Entries, e => e.EventId.Id == 1100 && e.Level <= LogLevel.Information);
    }
}
