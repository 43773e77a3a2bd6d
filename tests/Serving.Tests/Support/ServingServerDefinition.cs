namespace SpeechServe.Serving.Tests.Support;

/// <summary>The tests that share one running server (<see cref="ServingServerFixture"/>); they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ServingServerDefinition : ICollectionFixture<ServingServerFixture>
{
    public const string Name = "Serving server";
}
