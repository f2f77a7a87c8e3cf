//! Shared knowledge that several rules read the same way: published port bindings, bind and
//! tmpfs mounts, image references and the catalog's lists of well-known images.
pub(crate) mod images;
pub(crate) mod mounts;
pub(crate) mod ports;
