using SpeechServe.Runtime.Audio;

namespace SpeechServe.Runtime.Tests.Audio;

public class ContainerSnifferTests
{
    [Theory]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45 }, AudioContainer.Wav)]
    [InlineData(new byte[] { 0x66, 0x4C, 0x61, 0x43, 0, 0, 0, 0x22 }, AudioContainer.Flac)]
    [InlineData(new byte[] { 0x49, 0x44, 0x33, 4, 0 }, AudioContainer.Mp3)]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x64 }, AudioContainer.Mp3)]
    [InlineData(new byte[] { 0xFF, 0xF1, 0x50, 0x80 }, AudioContainer.Aac)]
    [InlineData(new byte[] { 0x4F, 0x67, 0x67, 0x53, 0, 2 }, AudioContainer.Ogg)]
    [InlineData(new byte[] { 0x1A, 0x45, 0xDF, 0xA3, 0x9F }, AudioContainer.WebM)]
    [InlineData(new byte[] { 0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70, 0x4D, 0x34, 0x41, 0x20 }, AudioContainer.Mp4)]
    [InlineData(new byte[] { 0x46, 0x4F, 0x52, 0x4D, 0, 0, 0, 0, 0x41, 0x49, 0x46, 0x46 }, AudioContainer.Aiff)]
    [InlineData(new byte[] { 0x7B, 0x22 }, AudioContainer.Unknown)]
    [InlineData(new byte[0], AudioContainer.Unknown)]
    public void Detect_MagicBytes_RecognisesContainer(byte[] header, AudioContainer expected)
    {
        Assert.Equal(expected, ContainerSniffer.Detect(header));
    }
}
