using System.Text;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Onnx.Native;
using SpeechServe.Runtime.Tests.Fixtures;

namespace SpeechServe.Runtime.Tests.Onnx;

/// <summary>Checks that the function-table slots and the error funnel talk to the real library correctly.</summary>
[Collection(OnnxTestGroup.Name)]
public sealed unsafe class OrtApiTests(OnnxFixture fixture)
{
    [Fact]
    public void RuntimeVersion_LoadedLibrary_IsThePinnedRelease()
    {
        Assert.Equal("1.30.0", OnnxEnvironment.RuntimeVersion);
    }

    [Fact]
    public void Check_StatusCreatedByRuntime_ThrowsWithItsCodeAndMessage()
    {
        var message = Encoding.UTF8.GetBytes("provoked failure\0");
        nint status;
        fixed (byte* text = message)
        {
            status = OrtApi.CreateStatus((int)OrtErrorCode.NoSuchFile, text);
        }

        var error = Assert.Throws<OnnxRuntimeException>(() => OrtStatus.Check(status));

        Assert.Equal(OrtErrorCode.NoSuchFile, error.ErrorCode);
        Assert.Equal("provoked failure", error.RuntimeMessage);
        Assert.Contains("provoked failure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NullStatus_ReturnsNormally()
    {
        OrtStatus.Check(0);
    }

    [Fact]
    public void GetAvailableProviders_AnyBuild_ListsTheCpuProvider()
    {
        Assert.Contains("CPUExecutionProvider", OnnxEnvironment.GetAvailableProviders());
    }

    [Fact]
    public void Create_SecondEnvironmentWhileFirstOpen_SharesTheRuntimeAndBothDisposeCleanly()
    {
        var second = OnnxEnvironment.Create(logger: new ListLogger());
        using (var session = second.CreateSession(fixture.Models.Scale))
        {
            Assert.Single(session.Inputs);
        }

        second.Dispose();
        second.Dispose();

        using var again = fixture.Environment.CreateSession(fixture.Models.Scale);
        Assert.Single(again.Outputs);
    }
}
