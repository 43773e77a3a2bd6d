using SpeechServe.Export.Tests.Encoder;
using SpeechServe.Export.Tests.Onnx;

namespace SpeechServe.Export.Tests.Decoder;

/// <summary>Both exported decoder graphs pass the reference ONNX checker and have the signature docs/model.md fixes.</summary>
[Collection(DecoderExportGroup.Name)]
public sealed class DecoderGraphCheckerTests(DecoderExportFixture fixture)
{
    [Fact]
    public void CheckModel_CrossGraph_PassesFullCheckWithTheContractSignature()
    {
        string[] expected =
        [
            "input encoder_out 1 batch,frames,192",
            "output cross_key 1 2,batch,4,frames,48",
            "output cross_value 1 2,batch,4,frames,48",
            "ir 8 opset :17",
            "metadata decoder_config",
        ];

        Assert.Equal(expected, Check(fixture.CrossGraphPath));
    }

    [Fact]
    public void CheckModel_StepGraph_PassesFullCheckWithTheContractSignature()
    {
        string[] expected =
        [
            "input tokens 7 batch,new_tokens",
            "input past_key 1 2,batch,4,past,48",
            "input past_value 1 2,batch,4,past,48",
            "input cross_key 1 2,batch,4,frames,48",
            "input cross_value 1 2,batch,4,frames,48",
            "input encoder_lengths 7 batch",
            "output logits 1 batch,new_tokens,40",
            "output present_key 1 2,batch,4,present,48",
            "output present_value 1 2,batch,4,present,48",
            "ir 8 opset :17",
            "metadata decoder_config",
        ];

        Assert.Equal(expected, Check(fixture.StepGraphPath));
    }

    private static string[] Check(string path) =>
        OnnxPython.Run(EncoderGraphCheckerTests.CheckScript, path).Split('\n', StringSplitOptions.RemoveEmptyEntries)[..^1];
}
