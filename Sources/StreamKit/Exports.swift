// `StreamKitJSON` is its own target so that the codec, which uses no StreamKit type, can be built, tested and
// used alone. The core's API names its types (`Serde.json(keyMapping:limits:)` takes a `JSONKeyMapping` and
// `JSONLimits`, and `.json` serdes throw what a `JSONError` says), so `import StreamKit` keeps bringing them:
// users keep writing one import, as before the split. This is the only re-export in the core.
@_exported import StreamKitJSON
