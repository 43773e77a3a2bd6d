namespace SpeechServe.Runtime.Streaming;

/// <summary>
/// One endpointing rule, in the manner of sherpa-onnx: the current segment ends when the decoded trailing
/// silence (blank-only encoder frames) and the segment's length both reach the rule's minimums, and, when
/// <see cref="MustContainSpeech"/> is set, the segment holds at least one token. A rule with both minimums
/// at zero would end every chunk; one with a minimum at or below zero is still a rule.
/// </summary>
/// <param name="MustContainSpeech">Whether the segment must hold decoded speech (a token) to end.</param>
/// <param name="MinTrailingSilence">Seconds of trailing blank frames needed.</param>
/// <param name="MinSegmentLength">Seconds the segment must last.</param>
public sealed record EndpointRule(bool MustContainSpeech, double MinTrailingSilence, double MinSegmentLength)
{
    /// <summary>Whether the rule fires for a segment of <paramref name="segmentLength"/> seconds.</summary>
    public bool IsMet(bool hasSpeech, double trailingSilence, double segmentLength) =>
        (hasSpeech || !MustContainSpeech) && trailingSilence >= MinTrailingSilence && segmentLength >= MinSegmentLength;
}
