namespace Faasten.Fs.Storage;

internal enum SqliteWriteKind
{
    Put,
    InsertIfAbsent,
    CompareAndSwap,
    Delete,
}
