//! Depth counting: each element read through [`XmlReader::element`] opens one level, checked against
//! [`Limits::max_depth`](crate::xml::Limits::max_depth) before it is read, as are the elements a skip passes
//! over.

use quick_xml::events::BytesStart;

use super::source::XmlSource;
use super::{FromXml, ReadError, XmlReader};
use crate::xml::Limit;

impl<S: XmlSource> XmlReader<S> {
    /// [`Self::element`], with the path (when drift is recorded) already taken care of.
    #[inline(always)]
    pub(super) fn element_here<T: FromXml>(
        &mut self,
        child: &BytesStart<'_>,
    ) -> Result<T, ReadError> {
        if self.depth >= self.limits.max_depth {
            return Err(self.depth_exceeded().within(child));
        }
        self.depth += 1;
        let result = if super::derived::declares_namespaces(child) {
            self.element_in_scope(child)
        } else {
            T::read(self, child).map_err(|e| e.within(child))
        };
        self.depth -= 1;
        result
    }

    #[cold]
    pub(super) fn depth_exceeded(&self) -> ReadError {
        ReadError::limit(Limit::Depth, self.limits.max_depth, self.element_at)
    }

    /// [`Self::element`] with the declarations of `child` in scope while it is read.
    #[inline(never)]
    fn element_in_scope<T: FromXml>(&mut self, child: &BytesStart<'_>) -> Result<T, ReadError> {
        let scope = self.declare(child).map_err(|e| e.within(child))?;
        let result = T::read(self, child).map_err(|e| e.within(child));
        self.namespaces.truncate(scope);
        result
    }

    /// Whether an element nested `nested` levels below the element being skipped opens a level past the limit.
    #[inline(always)]
    pub(super) fn too_deep_to_skip(&self, nested: usize) -> bool {
        self.depth + nested + 1 >= self.limits.max_depth
    }
}
